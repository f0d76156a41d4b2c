import { COMMANDS } from './cli/commandTable';
import type { CliCommand, CliIo } from './cli/cliCommand';
import { optionsHelp, parseArgs, usageLine, UsageError, type CliArgs } from './cli/cliOptions';
import { describeError } from './core/util/errors';
import { withoutControls } from './core/util/untrustedText';

/** The headless `swarmscope` command: the same engine as the extension, run in-process. */
const io: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  // Errors quote nodes and relays (a node's error message, a relay's NOTICE): no escape sequence reaches the terminal.
  err: (text) => process.stderr.write(`${withoutControls(text, true)}\n`),
};

function help(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'swarmscope — watch Nostr DVMs (NIP-90) and Bittensor subnets from the command line',
    '',
    'Usage: swarmscope <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    `  ${'help'.padEnd(width)}  Show this list, or one command's options: swarmscope help <command>`,
    '',
    'Options of every command:',
    optionsHelp({ name: 'swarmscope', options: [] }),
  ].join('\n');
}

function commandHelp(command: CliCommand): string {
  return `${command.summary}\n\nUsage: ${usageLine(command)}\n\n${optionsHelp(command)}`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.out(help());
    return 0;
  }
  const wanted = name === 'help' ? rest[0] : name;
  const command = COMMANDS.find((candidate) => candidate.name === wanted);
  if (!command) {
    io.err(`swarmscope: unknown command ${JSON.stringify(wanted)}\n\n${help()}`);
    return 2;
  }
  if (name === 'help' || rest.includes('--help')) {
    io.out(commandHelp(command));
    return 0;
  }
  let args: CliArgs;
  try {
    args = parseArgs(rest, command);
  } catch (error) {
    // A word the command does not know is never skipped: name it, and show what the command does take.
    io.err(`swarmscope ${command.name}: ${describeError(error)}\n\nUsage: ${usageLine(command)}\n\n${optionsHelp(command)}`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    io.err(`swarmscope ${command.name}: ${describeError(error)}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Exit only once stdout has drained: a large --json answer piped to another program must arrive whole.
    (code) => process.stdout.write('', () => process.exit(code)),
    (error) => {
      io.err(`swarmscope: ${describeError(error)}`);
      process.exit(1);
    },
  );
}
