import type { BindParams, Database as SqlDatabase, SqlValue, Statement } from 'sql.js';

export type Row = Record<string, SqlValue>;

/**
 * Prepared statements cached by their SQL text. sql.js compiles a statement in WASM on every `db.run`/`db.exec`;
 * reusing one per text is what keeps a batch of thousands of events within the ingest budget.
 */
export class PreparedStatements {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: SqlDatabase) {}

  private statement(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }

  run(sql: string, params?: BindParams): void {
    const statement = this.statement(sql);
    statement.run(params);
  }

  /** Rows changed by the last write (sqlite3_changes). */
  changes(): number {
    return this.db.getRowsModified();
  }

  get<T extends Row = Row>(sql: string, params?: BindParams): T | undefined {
    const statement = this.statement(sql);
    try {
      if (params) statement.bind(params);
      return statement.step() ? (statement.getAsObject() as T) : undefined;
    } finally {
      statement.reset();
    }
  }

  all<T extends Row = Row>(sql: string, params?: BindParams): T[] {
    const statement = this.statement(sql);
    try {
      if (params) statement.bind(params);
      const rows: T[] = [];
      while (statement.step()) rows.push(statement.getAsObject() as T);
      return rows;
    } finally {
      statement.reset();
    }
  }

  /** The first row as an array of column values (no per-row object: the ingest hot path reads with this). */
  row(sql: string, params?: BindParams): SqlValue[] | undefined {
    const statement = this.statement(sql);
    try {
      if (params) statement.bind(params);
      return statement.step() ? statement.get() : undefined;
    } finally {
      statement.reset();
    }
  }

  /** Every row as an array of column values. */
  rows(sql: string, params?: BindParams): SqlValue[][] {
    const statement = this.statement(sql);
    try {
      if (params) statement.bind(params);
      const rows: SqlValue[][] = [];
      while (statement.step()) rows.push(statement.get());
      return rows;
    } finally {
      statement.reset();
    }
  }

  /** One column of every row. */
  column<T extends SqlValue>(sql: string, params?: BindParams): T[] {
    const statement = this.statement(sql);
    try {
      if (params) statement.bind(params);
      const values: T[] = [];
      while (statement.step()) values.push(statement.get()[0] as T);
      return values;
    } finally {
      statement.reset();
    }
  }

  /** Runs `body` in one transaction: one journal write per batch instead of one per row. */
  transaction<T>(body: () => T): T {
    this.db.run('BEGIN');
    try {
      const result = body();
      this.db.run('COMMIT');
      return result;
    } catch (error) {
      this.db.run('ROLLBACK');
      throw error;
    }
  }

  dispose(): void {
    for (const statement of this.cache.values()) {
      try {
        statement.free();
      } catch {
        /* already freed with its database */
      }
    }
    this.cache.clear();
  }
}
