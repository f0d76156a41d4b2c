import { flag, printResult, withEngine, type CliCommand } from './cliCommand';

export const coreCommands: readonly CliCommand[] = [
  {
    name: 'status',
    summary: 'Open the database and print the engine status (size, dropped events, notices).',
    usage: 'swarmscope status [--db PATH] [--json]',
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const status = engine.status();
        printResult(args, io, status, () =>
          [`database: ${status.dbPath ?? '(in memory)'}`, `size: ${status.dbBytes} bytes`, `ready in: ${status.readyMs.toFixed(1)} ms`,
            ...status.notices.map((notice) => `notice: ${notice}`)].join('\n'));
        return 0;
      }),
  },
  {
    name: 'flush-bench-fill',
    summary: 'Fill the database with N MB of filler rows (for benchmarks of flush and load).',
    usage: 'swarmscope flush-bench-fill --mb N --db PATH',
    run: (args, io) =>
      withEngine(args, io, { collect: false }, async (engine) => {
        const megabytes = Number(flag(args, 'mb') ?? '10');
        const result = await engine.call('engine.debugFill', { megabytes });
        printResult(args, io, result, () => `filled: ${result.bytes} bytes`);
        return 0;
      }),
  },
];
