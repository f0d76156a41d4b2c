import { pgValue, type PgReader } from './pgReader';

type Privilege = 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * SQL (a boolean, evaluated once per statement) for whether this session may change `table` in every way listed:
 * its role holds the privileges and its transaction is writable (on a read-only standby it never is). A team may
 * give its editors a role that can only SELECT; the code that would write for them asks this first rather than
 * failing a statement, which would abort the caller's transaction and log an error on the server every time.
 */
export function pgMayWriteSql(table: string, privileges: readonly Privilege[]): string {
  return `(SELECT ${privileges.map((privilege) => `has_table_privilege('${table}', '${privilege}')`).join(' AND ')}
    AND current_setting('transaction_read_only') = 'off')`;
}

/** pgMayWriteSql as its own read. */
export async function pgMayWrite(db: PgReader, table: string, privileges: readonly Privilege[]): Promise<boolean> {
  return (await pgValue<boolean>(db, `SELECT ${pgMayWriteSql(table, privileges)}`)) === true;
}
