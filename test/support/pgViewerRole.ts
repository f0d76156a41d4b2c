import pg from 'pg';

/**
 * What a team lead gives the viewers (README "For a team"): a login role that may only SELECT the tables as they are
 * now, on the database at `url` (a superuser's URL from createDatabase, whose schema a writer has made). Returns the
 * same URL as that role (no password: the private server trusts loopback).
 */
export async function createSelectOnlyRole(url: string, role = 'viewer'): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  } finally {
    await admin.end();
  }
  return url.replace('//postgres@', `//${role}@`);
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
