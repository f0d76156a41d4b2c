import pg, { type CustomTypesConfig, type QueryArrayConfig } from 'pg';

/**
 * What the PostgreSQL read side needs of a connection: a `pg.Pool` or a `pg.Client` (both answer `query`). Reads
 * never hold a client across awaits of their own, so a pool serves concurrent page reads on separate connections.
 */
export interface PgReader {
  query<R extends unknown[] = unknown[]>(config: QueryArrayConfig<unknown[]>): Promise<{ rows: R[] }>;
}

/** OIDs of int8 (count(*), bigint columns) and numeric (sum over bigint): node-postgres hands both over as strings. */
const INT8 = 20;
const NUMERIC = 1700;

/**
 * The sql.js side reads every integer as a JS number, and the shared row mappers compare figures with ===, so these
 * reads parse int8 and numeric as numbers (msat sums stay far below 2^53). Per query, not on the global `pg.types`:
 * the pool may be shared with code that wants the strings.
 */
const NUMBER_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return (pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown)(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

/** Every row as an array of column values, in the order selected (the shape PreparedStatements.rows gives sql.js). */
export async function pgRows<R extends unknown[] = unknown[]>(db: PgReader, text: string, values: readonly unknown[] = []): Promise<R[]> {
  const result = await db.query<R>({ text, values: values as unknown[], rowMode: 'array', types: NUMBER_TYPES });
  return result.rows;
}

/** The first row, or undefined. */
export async function pgRow<R extends unknown[] = unknown[]>(db: PgReader, text: string, values: readonly unknown[] = []): Promise<R | undefined> {
  return (await pgRows<R>(db, text, values))[0];
}

/** The first column of the first row, or undefined (no row) / null (SQL NULL). */
export async function pgValue<T>(db: PgReader, text: string, values: readonly unknown[] = []): Promise<T | undefined> {
  return (await pgRow<[T]>(db, text, values))?.[0];
}

/** The first column of every row. */
export async function pgColumn<T>(db: PgReader, text: string, values: readonly unknown[] = []): Promise<T[]> {
  return (await pgRows<[T]>(db, text, values)).map((row) => row[0]);
}

/** An id or pubkey (lower-case hex) as the bytea it is stored as: bound as a Buffer, no decode() needed in SQL. */
export function pgId(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

/** pgId of a nullable column's value (a zap's recipient, job or DVM before it is known). */
export function pgIdOrNull(hex: string | null): Buffer | null {
  return hex === null ? null : pgId(hex);
}

/** A bytea column as read (node-postgres gives a Buffer) back to the lower-case hex the core's types hold. */
export function pgHex(value: Uint8Array): string {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
}
