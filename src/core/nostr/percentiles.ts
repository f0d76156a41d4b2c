import type { PreparedStatements } from './preparedStatements';

/**
 * Nearest-rank percentile of an indexed column: counts the rows, then reads the k-th in index order, so SQLite
 * walks its index instead of handing every value to JavaScript. `from` is a FROM … WHERE … clause that already
 * restricts `column` to non-null values.
 */
export function percentiles(sql: PreparedStatements, column: string, from: string, params: (string | number)[], ps: readonly number[]): (number | null)[] {
  const count = sql.get<{ n: number }>(`SELECT count(*) AS n ${from}`, params)?.n ?? 0;
  if (count === 0) return ps.map(() => null);
  return ps.map((p) => {
    const rank = Math.max(1, Math.ceil(p * count));
    return sql.get<{ v: number }>(`SELECT ${column} AS v ${from} ORDER BY ${column} LIMIT 1 OFFSET ?`, [...params, rank - 1])?.v ?? null;
  });
}
