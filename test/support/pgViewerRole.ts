import pg from 'pg';
import { eventually } from './eventually';

/**
 * What a team lead gives the viewers (README "For a team"): a login role that may only SELECT the tables as they are
 * now, on the database at `url` (a superuser's URL from createDatabase, whose schema a writer has made). Returns the
 * same URL as that role (no password: the private server trusts loopback).
 */
export async function createSelectOnlyRole(url: string, role = 'viewer'): Promise<string> {
  const asRole = url.replace('//postgres@', `//${role}@`);
  // Unchanged, it would be the superuser's URL, and a test of what the role may not do would pass for the wrong reason.
  if (asRole === url) throw new Error(`createSelectOnlyRole: ${url} does not log in as //postgres@, so it cannot be turned into ${role}'s URL`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  } finally {
    await admin.end();
  }
  return asRole;
}

/** Rows in every table of the public schema, by table: equal before and after, nothing was written. */
export async function tableRowCounts(url: string): Promise<Record<string, number>> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    const counts: Record<string, number> = {};
    for (const { name } of rows) counts[name] = Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`)).rows[0]!.n);
    return counts;
  } finally {
    await admin.end();
  }
}

/**
 * Transactions rolled back in the database at `url` (pg_stat_database.xact_rollback), read once `role` has no
 * connection left there: a write a SELECT-only role attempts fails and rolls back, and a backend reports its counts
 * when it exits at the latest (statistics are asynchronous), so an unchanged count means no write was attempted.
 */
export async function rollbacksOnceGone(url: string, role = 'viewer'): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await eventually(`no connection of role "${role}" left`, async () =>
      (await admin.query('SELECT 1 FROM pg_stat_activity WHERE usename = $1 AND datname = current_database()', [role])).rowCount === 0);
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await admin.query<{ n: string }>('SELECT xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0]!.n);
  } finally {
    await admin.end();
  }
}
