import type { Database as SqlDatabase, SqlValue, Statement } from 'sql.js';

/**
 * Every row of a query over the sql.js database, as arrays of column values. Shared by the sql.js repos and
 * queries; it lives here, not in one of them, so that a repo needing it does not import another repo (snapshotRepo
 * and chainGenesisRepo imported each other through it).
 */
export function rows(db: SqlDatabase, sql: string, params: SqlValue[] = []): SqlValue[][] {
  const statement: Statement = db.prepare(sql);
  try {
    statement.bind(params);
    const out: SqlValue[][] = [];
    while (statement.step()) out.push(statement.get());
    return out;
  } finally {
    statement.free();
  }
}
