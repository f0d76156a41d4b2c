import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import pgpass from 'pgpass';
import { describeError } from '../../util/errors';
import { checkPgUrl, describePgUrl } from './pgUrl';

/**
 * Opening the team store: a `pg.Pool` from a `postgres://user@host:port/db` URL. A URL names the server, never the
 * password: command lines and settings files are read by others (ps, shell history, dotfile repos), so a URL that
 * carries one is refused. The password comes from an explicit option (the extension passes the one it keeps in
 * SecretStorage), else PGPASSWORD, else ~/.pgpass (or $PGPASSFILE), as libpq's own tools take it.
 */

export interface PgConnectOptions {
  /** The password, when the caller keeps it (the extension's SecretStorage); wins over PGPASSWORD and .pgpass. */
  readonly password?: string;
  /** Where the URL was given, named in a refusal: `--store` (the default) or `swarmscope.storage.url`. */
  readonly urlOrigin?: string;
  /** Pool size; node-postgres' default is 10. */
  readonly maxConnections?: number;
  /** How long to wait for the server before giving up; a dead host otherwise waits out the OS' TCP timeout. */
  readonly connectTimeoutMs?: number;
  /**
   * A pooled connection that died while idle (server restarted, network cut). pg-pool drops it; without a listener
   * the pool's 'error' event would end the process. The next query opens a new connection and fails loudly if the
   * server is still gone, so the default only drops it.
   */
  readonly onIdleError?: (error: Error) => void;
}

export type PgConnectionFailure = 'refused' | 'unreachable' | 'auth' | 'database-missing' | 'other';

/** The server could not be reached or would not let us in; the message names the URL (without any password). */
export class PgConnectionError extends Error {
  override readonly name = 'PgConnectionError';

  constructor(readonly failure: PgConnectionFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A pool on `url`, after one round trip has shown that the server answers and lets us in; otherwise a
 * PgConnectionError saying what failed. The caller owns the pool (`pool.end()`).
 */
export async function openPgPool(url: string, options: PgConnectOptions = {}): Promise<pg.Pool> {
  checkPgUrl(url, options.urlOrigin);
  const { password: _none, ...fromUrl } = parseIntoClientConfig(url);
  const pool = new pg.Pool({
    ...fromUrl,
    // A function, asked only when the server wants a password; it also keeps pg from its deprecated .pgpass read.
    // node-postgres calls it with its resolved connection parameters and takes undefined as "no password"
    // (lib/client.js _getPassword); @types/pg declares neither.
    password: ((params: pg.ConnectionConfig) => lookUpPassword(options.password, params)) as unknown as () => Promise<string>,
    max: options.maxConnections,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    application_name: fromUrl.application_name ?? 'swarmscope',
    // A collector holds its connections for days and the change feed waits on one: TCP keepalive is what tells
    // them that a network cut the server away without a word (no FIN, no RST), so the feed reconnects.
    keepAlive: true,
    keepAliveInitialDelayMillis: 30_000,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw pgConnectionError(url, error);
  }
  return pool;
}

function lookUpPassword(explicit: string | undefined, params: pg.ConnectionConfig): Promise<string | undefined> {
  if (explicit !== undefined) return Promise.resolve(explicit);
  if (process.env.PGPASSWORD) return Promise.resolve(process.env.PGPASSWORD);
  return new Promise((resolve) => {
    pgpass({ host: params.host, port: params.port, database: params.database, user: params.user }, resolve);
  });
}

/** Turns what node-postgres threw while connecting into one message: which server, and what went wrong there. */
export function pgConnectionError(url: string, error: unknown): PgConnectionError {
  const where = describePgUrl(url);
  const code = (error as { code?: unknown } | undefined)?.code;
  const detail = describeError(error);
  if (code === 'ECONNREFUSED') {
    return new PgConnectionError('refused', `PostgreSQL at ${where} refused the connection: is the server running and listening on that host and port?`, { cause: error });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT' || /timeout/i.test(detail)) {
    return new PgConnectionError('unreachable', `PostgreSQL at ${where} could not be reached (${detail})`, { cause: error });
  }
  // 28P01: wrong password; 28000: no pg_hba.conf line lets this user in, or no such role.
  if (code === '28P01' || code === '28000') {
    return new PgConnectionError('auth', `PostgreSQL at ${where} refused the login: ${detail}. Check the user, and the password in PGPASSWORD or ~/.pgpass.`, { cause: error });
  }
  // node-postgres' words when the server asks for a password (SCRAM) and we have none.
  if (/client password must be a string/.test(detail)) {
    return new PgConnectionError('auth', `PostgreSQL at ${where} asks for a password and none was found: set PGPASSWORD or add it to ~/.pgpass.`, { cause: error });
  }
  if (code === '3D000') {
    return new PgConnectionError('database-missing', `PostgreSQL at ${where} has no such database (${detail}); create it first (createdb, or CREATE DATABASE).`, { cause: error });
  }
  return new PgConnectionError('other', `PostgreSQL at ${where} failed: ${detail}`, { cause: error });
}
