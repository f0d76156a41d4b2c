/**
 * What a team store's URL may be, and how it is named in logs: no `pg` import, so that the editor's settings check
 * (src/core/config/settings.ts) does not pull the PostgreSQL client into the extension host's bundle.
 */

/** The URL is not one Swarmscope will connect with; the message says why and what to do instead. */
export class PgUrlRefusedError extends Error {
  override readonly name = 'PgUrlRefusedError';
}

/**
 * `postgres://user@host:port/db` for a log line: never a password, and of the query string only `host` (a socket
 * folder); the rest may name key files or carry a password.
 */
export function describePgUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(an unreadable PostgreSQL URL)';
  }
  const user = parsed.username ? `${parsed.username}@` : '';
  const host = parsed.searchParams.get('host');
  return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}${host === null ? '' : `?host=${host}`}`;
}

/** Throws PgUrlRefusedError unless `url` is a postgres:// or postgresql:// URL without a password. */
export function checkPgUrl(url: string, urlOrigin = '--store'): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PgUrlRefusedError(`${urlOrigin} is not a URL: expected postgres://user@host:port/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new PgUrlRefusedError(`${urlOrigin} must be a postgres:// URL (postgres://user@host:port/database), not ${parsed.protocol}//…`);
  }
  if (parsed.password !== '' || parsed.searchParams.has('password')) {
    throw new PgUrlRefusedError(
      `${urlOrigin} carries a password (${describePgUrl(url)}); Swarmscope does not take one on the command line or in settings. ` +
        'Remove it from the URL and set PGPASSWORD, or add a line to ~/.pgpass (host:port:database:user:password, mode 0600)' +
        (urlOrigin === '--store' ? '.' : ', or enter it when the editor asks (it keeps it in its secret storage).'),
    );
  }
}
