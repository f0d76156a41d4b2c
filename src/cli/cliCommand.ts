import * as os from 'node:os';
import * as path from 'node:path';
import type { RawSettings } from '../core/config/settings';
import { checkPgUrl, PgUrlRefusedError } from '../core/store/postgres/pgUrl';
import { describeError } from '../core/util/errors';
import { singleLine, withoutControls } from '../core/util/untrustedText';
import type { Engine } from '../engine/engine';
import { EngineSession, type EngineCaller } from '../engine/engineSession';
import type { EngineOwnerInfo, LogLevel, TeamStoreParams } from '../protocol/engineProtocol';
import { flag, hasFlag, UsageError, type CliArgs, type CommandSpec } from './cliOptions';

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
 * `--store postgres://user@host:port/db`: a team's PostgreSQL store (issue 14), its password from PGPASSWORD or
 * ~/.pgpass only (a URL carrying one is refused, naming --store). `--db` names the sql.js file; both is an error.
 */
export function teamStore(args: CliArgs): TeamStoreParams | undefined {
  const url = flag(args, 'store');
  if (url === undefined) return undefined;
  if (hasFlag(args, 'db')) throw new UsageError('--db and --store are both given: --db names a database file, --store a PostgreSQL server; give one');
  try {
    checkPgUrl(url, '--store');
  } catch (error) {
    if (error instanceof PgUrlRefusedError) throw new UsageError(error.message);
    throw error;
  }
  return { url, origin: '--store' };
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
 * Runs `body` against the database's one engine (with `--store`, always an engine of its own on that server) (src/engine/engineLock.ts), then prints what `body` reported and
 * returns its exit code. If no other process owns the database, the engine runs in-process and is closed at the end
 * (which flushes the database and renames it into place, then hands it on to any window waiting for it). If a VS Code
 * window or another CLI process owns it, `body` runs against that engine over its socket, and a command that wrote
 * ends with a flush there. Either way results are printed only once what they report is on disk; a flush that fails
 * throws, naming the database, and nothing is printed. `collect` needs the database to itself and is refused, naming
 * the owner, when another process has it. Engine log lines go to stderr at once, so stdout stays clean JSON.
 */
export function withEngine(args: CliArgs, io: CliIo, options: { collect: true; settings?: RawSettings }, body: (engine: Engine) => Promise<Report>): Promise<number>;
export function withEngine(args: CliArgs, io: CliIo, options: { collect: false; settings?: RawSettings }, body: (engine: EngineCaller) => Promise<Report>): Promise<number>;
export async function withEngine(
  args: CliArgs,
  io: CliIo,
  options: { collect: boolean; settings?: RawSettings },
  body: (engine: Engine & EngineCaller) => Promise<Report>,
): Promise<number> {
  const verbose = hasFlag(args, 'verbose');
  const quiet: ReadonlySet<LogLevel> = new Set<LogLevel>(verbose ? [] : ['trace', 'debug', 'info']);
  const log = { log: (level: LogLevel, message: string) => { if (!quiet.has(level)) io.err(`[${level}] ${singleLine(message)}`); } };
  // A shared PostgreSQL store has no lock file: several collectors and editors write it at once, each with its own engine.
  const store = teamStore(args);
  const dbPath = store ? undefined : databasePath(args);
  const given = Object.keys(options.settings ?? {});
  let joined: EngineOwnerInfo | undefined;
  const { session, owned } = await EngineSession.open(
    // No command shows live views, so none needs to hear other processes' writes: no LISTEN connection.
    { dbPath, ...(store ? { store: { ...store, listen: false } } : {}), settings: options.settings ?? {}, collect: options.collect, ownerLabel: ownerLabel() },
    {
      notify: () => undefined,
      log,
      onJoin: (owner) => {
        joined = owner;
        log.log('info', `the database is in use by ${owner.label} (pid ${owner.pid}); this command runs in that engine`);
        if (given.length > 0) log.log('warn', `the engine in ${owner.label} (pid ${owner.pid}) keeps its own settings; ${given.join(', ')} given here are not used`);
      },
    },
  );
  if (!owned && options.collect) {
    await session.close();
    const holder = joined ? `${joined.label} (pid ${joined.pid})` : 'another process';
    throw new Error(`the database ${dbPath} is in use by ${holder}; collect needs it to itself: close that, or collect into another --db`);
  }
  let outcome: Report;
  try {
    // Only `collect` needs the in-process Engine itself (it reads its collectors' status); the overloads keep it so.
    outcome = await body((owned?.engine ?? session) as Engine & EngineCaller);
    if (!owned && session.wrote) await session.call('engine.flush', {});
  } catch (error) {
    // What the command stored before it failed is still saved; its own error is the one the user needs.
    await session.close().catch((flushError) => io.err(`[error] ${describeError(flushError)}`));
    throw error;
  }
  await session.close();
  outcome.print();
  return outcome.code;
}

/** How windows and other CLI processes name this process while it owns the database: "swarmscope ingest". */
function ownerLabel(): string {
  const command = process.argv.slice(2).find((word) => !word.startsWith('-'));
  return command ? `swarmscope ${command}` : 'swarmscope';
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
