import { readEventsFile } from '../core/nostr/eventsFile';
import { ingestInChunks } from '../core/nostr/ingestInChunks';
import type { Storage } from '../core/store/storage';
import type { Logger } from '../core/util/logger';
import type { EngineNotification } from '../protocol/engineProtocol';
import type { IngestResult } from '../protocol/nostrProtocol';
import { refuseIfReadOnly } from './readOnlyStore';

/**
 * `engine.importEvents`: the CLI's `ingest` for the editor's Import Events command. The file is read and parsed here,
 * on the engine's thread (or in the process that owns the engine), never on the extension host's; the same reader
 * as the CLI's names lines that are not JSON. Progress goes out as `engine.importProgress` after each chunk.
 */
export async function importEventsFile(
  file: string,
  deps: { storage: Pick<Storage, 'readOnlyReason'>; ingest: (events: unknown[]) => Promise<IngestResult>; notify: (notification: EngineNotification) => void; log: Logger },
): Promise<IngestResult & { readonly events: number }> {
  // Before the file is read and progress shown: the ingest would refuse the first chunk anyway.
  refuseIfReadOnly(deps.storage, 'importing events');
  const events = readEventsFile(file, (warning) => deps.log.log('warn', `import: ${warning}`));
  deps.notify({ topic: 'engine.importProgress', payload: { file, done: 0, total: events.length } });
  const result = await ingestInChunks(events, deps.ingest, (done, total) => deps.notify({ topic: 'engine.importProgress', payload: { file, done, total } }));
  deps.log.log('info', `imported ${file}: ${result.accepted} accepted, ${result.duplicates} duplicates, ${Object.values(result.rejected).reduce((sum, n) => sum + n, 0)} rejected`);
  return { ...result, events: events.length };
}
