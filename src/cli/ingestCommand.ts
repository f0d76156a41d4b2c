import { ingestInChunks } from '../core/nostr/ingestInChunks';
import { flag, report, UsageError, withEngine, type CliCommand } from './cliCommand';
import { EventsFileError, readEventsFile } from '../core/nostr/eventsFile';

export const ingestCommand: CliCommand = {
  name: 'ingest',
  summary: 'Verify and store Nostr events from a file (JSON array or JSON lines), as if a relay had sent them.',
  arguments: [{ name: 'FILE', help: 'signed events: a JSON array, or JSON lines (one event per line)' }],
  options: [{ name: 'relay', value: 'URL', help: 'store the events as received from this relay' }],
  run: async (args, io) => {
    const file = args.positionals[0];
    const events = readEventsOrUsageError(file, (warning) => io.err(warning));
    const relay = flag(args, 'relay');
    return withEngine(args, io, { collect: false }, async (engine) => {
      const total = await ingestInChunks(events, (chunk) => engine.call('nostr.ingest', { events: chunk, ...(relay ? { relay } : {}) }));
      return report(args, io, total, () => [
        `accepted: ${total.accepted}`,
        `duplicates: ${total.duplicates}`,
        `rejected: ${Object.entries(total.rejected).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none'}`,
      ].join('\n'));
    });
  },
};

/** A file that is not events is a usage mistake for the CLI (exit code 2), as a bad flag is. */
function readEventsOrUsageError(file: string, warn: (message: string) => void): unknown[] {
  try {
    return readEventsFile(file, warn);
  } catch (error) {
    throw error instanceof EventsFileError ? new UsageError(error.message) : error;
  }
}
