import { pgRow, type PgReader } from './pgReader';

type Privilege = 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * Why this session may not write Swarmscope's tables, or undefined when it may (Storage.readOnlyReason): the
 * privileges its role lacks on the tables of its schema, named with the tables, or a read-only transaction. Asked once
 * when the storage opens, so that the engine starts no collector and refuses pins rather than failing every write.
 * Partitions are left out: writes through their parent need no privilege on them. So are the tables a collector
 * never writes: the migrations' bookkeeping (written only when a step is applied, by whoever owns the schema) and
 * the debug fill's table; a team may well grant its collector role writes on the data tables alone.
 */
export async function pgReadOnlyReason(db: PgReader): Promise<string | undefined> {
  const row = await pgRow<[string, boolean, Privilege[], string[]]>(db, `WITH missing AS (
      SELECT c.relname::text AS name, p.privilege, p.position
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
      CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) WITH ORDINALITY AS p(privilege, position)
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname NOT IN ('swarmscope_migrations', 'debug_filler')
        AND NOT has_table_privilege(c.oid, p.privilege))
    SELECT current_user::text, current_setting('transaction_read_only') = 'on',
      ARRAY(SELECT privilege FROM missing GROUP BY privilege, position ORDER BY position),
      ARRAY(SELECT DISTINCT name FROM missing ORDER BY name)`);
  if (!row) return undefined;
  const [role, readOnlyTransactions, privileges, tables] = row;
  if (privileges.length > 0) {
    const named = tables.length <= 3 ? listed(tables) : `${tables.slice(0, 2).join(', ')} and ${tables.length - 2} other tables`;
    return `role ${JSON.stringify(role)} lacks ${listed(privileges)} on ${named}`;
  }
  if (readOnlyTransactions) return 'the server allows read-only transactions only (a standby, or default_transaction_read_only is on)';
  return undefined;
}

/** "INSERT, UPDATE and DELETE": a list in a sentence. */
function listed(words: readonly string[]): string {
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
