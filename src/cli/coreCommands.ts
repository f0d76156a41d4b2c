import { report, withEngine, type CliCommand } from './cliCommand';

export const coreCommands: readonly CliCommand[] = [
  {
    name: 'status',
    summary: 'Open the database and print the engine status (size, dropped events, notices).',
    options: [],
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const status = await engine.call('engine.status', {});
        return report(args, io, status, () =>
          [`database: ${status.dbPath ?? '(in memory)'}${status.store?.kind === 'postgres' ? ' (PostgreSQL)' : ''}`, `size: ${status.dbBytes} bytes`, `ready in: ${status.readyMs.toFixed(1)} ms`,
            ...Object.entries(status.dropped).map(([reason, count]) => `dropped: ${reason} ${count}`),
            ...status.notices.map((notice) => `notice: ${notice}`)].join('\n'));
      }),
  },
];
