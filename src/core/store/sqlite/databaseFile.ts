import * as fs from 'node:fs';
import type { Database as SqlDatabase } from 'sql.js';
import { describeError } from '../../util/errors';

/**
 * Which files the store may open. A path the user gave (`--db`) may name anything: a folder, another
 * application's SQLite database, a document. Only a missing file, an empty file or a Swarmscope database is opened;
 * anything else is refused and left exactly as it was (not migrated, not moved aside, not written).
 *
 * A Swarmscope database carries SQLite's application id "SwSc" in its header, set when it is opened. Databases
 * made before that are recognised by their migrations table, which lists only migrations the store knows.
 */
export const SWARMSCOPE_APPLICATION_ID = 0x53775363;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Where SQLite keeps the application id: a big-endian 32-bit integer at byte 68 of the file. */
const APPLICATION_ID_OFFSET = 68;
/** Our migrations table, exactly as SQLite records it in the schema. */
export const MIGRATIONS_TABLE_SQL = 'CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)';

/** The file is not Swarmscope's to open; the message says what it is and that it was left untouched. */
export class DatabaseRefusedError extends Error {
  override readonly name = 'DatabaseRefusedError';

  constructor(file: string, what: string) {
    super(`${file} ${what}. Swarmscope opens only a new file, an empty file or its own database, and left this one untouched.`);
  }
}

export type DatabaseFile =
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'sqlite'; readonly bytes: Buffer };

/** The file at `file` if the store may try to open it: missing, empty, or starting with SQLite's header. */
export function readDatabaseFile(file: string): DatabaseFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw new DatabaseRefusedError(file, `cannot be examined (${describeError(error)})`);
  }
  if (stat.isDirectory()) throw new DatabaseRefusedError(file, 'is a folder, not a database file');
  if (!stat.isFile()) throw new DatabaseRefusedError(file, 'is not a regular file');
  if (stat.size === 0) return { kind: 'empty' };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new DatabaseRefusedError(file, `cannot be read (${describeError(error)})`);
  }
  if (!bytes.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) throw new DatabaseRefusedError(file, 'is not a SQLite database');
  return { kind: 'sqlite', bytes };
}

/**
 * Why a database SQLite could read is not ours, or undefined when it is: it carries our application id, or, made
 * before we set one, no application id and a `schema_migrations (id, applied_at)` table whose ids are all among
 * `knownMigrations`.
 */
export function whyNotSwarmscope(db: SqlDatabase, knownMigrations: ReadonlySet<string>): string | undefined {
  const applicationId = Number(db.exec('PRAGMA application_id')[0]?.values[0]?.[0] ?? 0);
  if (applicationId === SWARMSCOPE_APPLICATION_ID) return undefined;
  if (applicationId !== 0) return `is the SQLite database of another application (application id 0x${(applicationId >>> 0).toString(16)})`;
  const columns = (db.exec("SELECT name FROM pragma_table_info('schema_migrations')")[0]?.values ?? []).map((row) => row[0]);
  if (!columns.includes('id') || !columns.includes('applied_at')) return 'is a SQLite database without Swarmscope\'s tables (another application\'s?)';
  const ids = (db.exec('SELECT id FROM schema_migrations')[0]?.values ?? []).map((row) => String(row[0]));
  const unknown = ids.find((id) => !knownMigrations.has(id));
  if (ids.length === 0 || unknown !== undefined) {
    return `is a SQLite database whose schema_migrations table is not Swarmscope's${unknown === undefined ? '' : ` (it lists ${JSON.stringify(unknown)})`}`;
  }
  return undefined;
}

/**
 * Whether a SQLite file that SQLite cannot read is a damaged Swarmscope database (to be moved aside) rather than
 * someone else's (to be left alone): our application id in its header, or, from before we set one, our migrations
 * table's definition in its schema.
 */
export function isDamagedSwarmscopeDatabase(bytes: Buffer): boolean {
  if (bytes.length >= APPLICATION_ID_OFFSET + 4 && bytes.readUInt32BE(APPLICATION_ID_OFFSET) === SWARMSCOPE_APPLICATION_ID) return true;
  return bytes.includes(MIGRATIONS_TABLE_SQL);
}

/** Stamps the database as ours, so that it is recognised from its header from now on, even when damaged. */
export function markAsSwarmscope(db: SqlDatabase): void {
  db.run(`PRAGMA application_id = ${SWARMSCOPE_APPLICATION_ID}`);
}
