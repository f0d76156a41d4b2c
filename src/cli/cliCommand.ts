import * as os from 'node:os';
import * as path from 'node:path';
import type { RawSettings } from '../core/config/settings';
import { describeError } from '../core/util/errors';
import { singleLine, withoutControls } from '../core/util/untrustedText';
import { Engine } from '../engine/engine';
import type { LogLevel } from '../protocol/engineProtocol';
import { flag, hasFlag, type CliArgs, type CommandSpec } from './cliOptions';

// The option helpers are part of every command's toolkit; commands import them from here with the rest.
export { flag, flagList, hasFlag, intFlag, parseArgs, UsageError, type CliArgs, type CliOption } from './cliOptions';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliCommand extends CommandSpec {
  /** One line for `swarmscope --help`. */
  readonly summary: string;
  /** `args` are parsed by this command's declaration (`arguments`, `options`). */
  run(args: CliArgs, io: CliIo): Promise<number>;
}

/** `--db PATH`, `$SWARMSCOPE_DB`, or ~/.swarmscope/swarmscope.db; `:memory:` keeps nothing on disk. */
export function databasePath(args: CliArgs): string | undefined {
  const chosen = flag(args, 'db') ?? process.env.SWARMSCOPE_DB ?? path.join(os.homedir(), '.swarmscope', 'swarmscope.db');
  return chosen === ':memory:' ? undefined : path.resolve(chosen);
}

/**
 * What a command has to say, held back until what it stored is on disk: `withEngine` prints it only after the
 * engine's final flush has renamed the database into place, then exits with `code`.
 */
export interface Report {
  readonly code: number;
  print(): void;
}

/**
 * The command's result on stdout: JSON with --json (exact: names as the network gave them), else `asText()` with
 * terminal controls stripped (escape sequences, bidi overrides: names are chosen by DVMs and chain identities);
 * exit code 0 unless `code` says otherwise.
 */
export function report(args: CliArgs, io: CliIo, value: unknown, asText: () => string, code = 0): Report {
  return { code, print: () => io.out(hasFlag(args, 'json') ? JSON.stringify(value, null, 2) : withoutControls(asText(), true)) };
}

/** A failure the command found (nothing to show): `message` on stderr and a non-zero exit code. */
export function reportFailure(io: CliIo, message: string, code = 1): Report {
  return { code, print: () => io.err(message) };
}

/**
 * Runs `body` against an in-process engine on the chosen database, closes the engine (which flushes the database
 * and renames it into place), and only then prints what `body` reported and returns its exit code. A final flush
 * that fails (read-only folder, full disk) throws, naming the database, and nothing is printed: the CLI never
 * reports data as stored that is not on disk. Engine log lines go to stderr at once, so stdout stays clean JSON.
 */
export async function withEngine(
  args: CliArgs,
  io: CliIo,
  options: { collect: boolean; settings?: RawSettings },
  body: (engine: Engine) => Promise<Report>,
): Promise<number> {
  const verbose = hasFlag(args, 'verbose');
  const quiet: ReadonlySet<LogLevel> = new Set<LogLevel>(verbose ? [] : ['trace', 'debug', 'info']);
  const engine = await Engine.start(
    { dbPath: databasePath(args), settings: options.settings ?? {}, collect: options.collect },
    { notify: () => undefined, log: { log: (level, message) => { if (!quiet.has(level)) io.err(`[${level}] ${singleLine(message)}`); } } },
  );
  let outcome: Report;
  try {
    outcome = await body(engine);
  } catch (error) {
    // What the command stored before it failed is still saved; its own error is the one the user needs.
    await engine.dispose().catch((flushError) => io.err(`[error] ${describeError(flushError)}`));
    throw error;
  }
  await engine.dispose();
  outcome.print();
  return outcome.code;
}

/** Prints rows as an aligned text table; columns are the keys of the first row. */
export function formatTable(rows: readonly Record<string, unknown>[]): string {
  if (rows.length === 0) return '(none)';
  const columns = Object.keys(rows[0]);
  const cells = rows.map((row) => columns.map((column) => formatCell(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

/** One line per cell, whatever a name holds: a line break would start a forged row, an escape move the cursor. */
function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (Array.isArray(value)) return singleLine(value.join(','));
  return singleLine(String(value));
}
