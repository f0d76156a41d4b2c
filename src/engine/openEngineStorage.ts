import { describePgUrl } from '../core/store/postgres/pgUrl';
import { openPgStorage } from '../core/store/postgres/pgStorage';
import { SqliteStorage } from '../core/store/sqlite/sqliteStorage';
import type { Storage } from '../core/store/storage';
import type { OpenNotice } from '../core/store/sqlite/store';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import type { EngineStartParams } from '../protocol/engineProtocol';

/**
 * The store `params` name: a team's PostgreSQL server when a URL is given (issue 14), else the embedded sql.js file.
 * A server that cannot be reached fails the start with a message naming the URL (never the password) and what
 * failed, which the host shows and retries.
 */
export async function openEngineStorage(
  params: EngineStartParams,
  log: Logger,
): Promise<{ storage: Storage; notices: readonly OpenNotice[] }> {
  if (!params.store) return SqliteStorage.open({ path: params.dbPath });
  const { url, password, origin, listen } = params.store;
  try {
    return { storage: await openPgStorage(url, { password, urlOrigin: origin, log, listen }), notices: [] };
  } catch (error) {
    // The PostgreSQL errors already name the URL without password; the prefix says which part of the engine failed.
    throw new Error(`the team store ${describePgUrl(url)} could not be opened: ${describeError(error)}`, { cause: error });
  }
}
