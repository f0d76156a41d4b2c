import * as os from 'node:os';
import * as path from 'node:path';
import type { RawSettings } from '../core/config/settings';
import { Engine } from '../engine/engine';
import type { LogLevel } from '../protocol/engineProtocol';

/** Parsed command line: positionals, and flags (repeatable flags keep every value, in order). */
export interface CliArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlyMap<string, readonly string[]>;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CliCommand {
  readonly name: string;
  /** One line for `swarmscope --help`. */
  readonly summary: string;
  /** Arguments and flags, shown by `swarmscope help NAME`. */
  readonly usage: string;
  run(args: CliArgs, io: CliIo): Promise<number>;
}

/** Flags that take no value. Everything else in `--name value` form takes the next word. */
const BOOLEAN_FLAGS = new Set(['json', 'help', 'verbose']);

export function parseArgs(argv: readonly string[]): CliArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('--')) {
      positionals.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2);
    let value = inline;
    if (value === undefined) value = BOOLEAN_FLAGS.has(name) ? 'true' : argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { positionals, flags };
}

export class UsageError extends Error {}

export function flag(args: CliArgs, name: string): string | undefined {
  const values = args.flags.get(name);
  return values?.[values.length - 1];
}

export function flagList(args: CliArgs, name: string): string[] {
  return [...(args.flags.get(name) ?? [])];
}

export function hasFlag(args: CliArgs, name: string): boolean {
  return args.flags.has(name);
}

export function intFlag(args: CliArgs, name: string): number | undefined {
  const value = flag(args, name);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new UsageError(`--${name} must be an integer, not ${JSON.stringify(value)}`);
  return parsed;
}

/** `--db PATH`, `$SWARMSCOPE_DB`, or ~/.swarmscope/swarmscope.db; `:memory:` keeps nothing on disk. */
export function databasePath(args: CliArgs): string | undefined {
  const chosen = flag(args, 'db') ?? process.env.SWARMSCOPE_DB ?? path.join(os.homedir(), '.swarmscope', 'swarmscope.db');
  return chosen === ':memory:' ? undefined : path.resolve(chosen);
}

/**
 * Runs `body` against an in-process engine on the chosen database, closing (and so flushing) it afterwards.
 * Engine log lines go to stderr so that stdout stays clean JSON with --json.
 */
export async function withEngine<T>(
  args: CliArgs,
  io: CliIo,
  options: { collect: boolean; settings?: RawSettings },
  body: (engine: Engine) => Promise<T>,
): Promise<T> {
  const verbose = hasFlag(args, 'verbose');
  const quiet: ReadonlySet<LogLevel> = new Set<LogLevel>(verbose ? [] : ['trace', 'debug', 'info']);
  const engine = await Engine.start(
    { dbPath: databasePath(args), settings: options.settings ?? {}, collect: options.collect },
    { notify: () => undefined, log: { log: (level, message) => { if (!quiet.has(level)) io.err(`[${level}] ${message}`); } } },
  );
  try {
    return await body(engine);
  } finally {
    await engine.dispose();
  }
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

function formatCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

export function printResult(args: CliArgs, io: CliIo, value: unknown, asText: () => string): void {
  io.out(hasFlag(args, 'json') ? JSON.stringify(value, null, 2) : asText());
}
