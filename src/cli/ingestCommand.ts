import type { IngestResult } from '../protocol/nostrProtocol';
import { flag, report, withEngine, type CliCommand } from './cliCommand';
import { readEventsFile } from './eventsFile';

/** Events per `nostr.ingest` call: one transaction each, so memory stays flat on large files. */
const INGEST_CHUNK = 5_000;

type IngestTotal = { -readonly [K in keyof IngestResult]: IngestResult[K] };

export const ingestCommand: CliCommand = {
  name: 'ingest',
  summary: 'Verify and store Nostr events from a file (JSON array or JSON lines), as if a relay had sent them.',
  arguments: [{ name: 'FILE', help: 'signed events: a JSON array, or JSON lines (one event per line)' }],
  options: [{ name: 'relay', value: 'URL', help: 'store the events as received from this relay' }],
  run: async (args, io) => {
    const file = args.positionals[0];
    const events = readEventsFile(file, (warning) => io.err(warning));
    const relay = flag(args, 'relay');
    return withEngine(args, io, { collect: false }, async (engine) => {
      const total: IngestTotal = { accepted: 0, duplicates: 0, rejected: {}, rejectDetails: {} };
      for (let start = 0; start < events.length; start += INGEST_CHUNK) {
        const answer = await engine.call('nostr.ingest', { events: events.slice(start, start + INGEST_CHUNK), ...(relay ? { relay } : {}) });
        add(total, answer);
      }
      return report(args, io, total, () => [
        `accepted: ${total.accepted}`,
        `duplicates: ${total.duplicates}`,
        `rejected: ${Object.entries(total.rejected).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none'}`,
      ].join('\n'));
    });
  },
};

function add(total: IngestTotal, answer: IngestResult): void {
  total.accepted += answer.accepted;
  total.duplicates += answer.duplicates;
  for (const [reason, count] of Object.entries(answer.rejected)) total.rejected[reason] = (total.rejected[reason] ?? 0) + count;
  // The engine picks the first few details per reason; over several chunks the first chunk's stay.
  for (const [reason, details] of Object.entries(answer.rejectDetails)) total.rejectDetails[reason] ??= details;
}
