import { ingestInChunks } from '../core/nostr/ingestInChunks';
import { flag, report, withEngine, type CliCommand } from './cliCommand';
import { readEventsFile } from './eventsFile';

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
      const total = await ingestInChunks(events, (chunk) => engine.call('nostr.ingest', { events: chunk, ...(relay ? { relay } : {}) }));
      return report(args, io, total, () => [
        `accepted: ${total.accepted}`,
        `duplicates: ${total.duplicates}`,
        `rejected: ${Object.entries(total.rejected).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none'}`,
      ].join('\n'));
    });
  },
};
