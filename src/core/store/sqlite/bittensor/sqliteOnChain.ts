/**
 * The WHERE term keeping one chain's snapshot headers (`prefix`: a table alias and dot); bind genesisKey(scope).
 * SQLite's IFNULL, matching the expression its unique index is built on; PostgreSQL writes COALESCE in its adapter.
 */
export function onChainSql(prefix = ''): string {
  return `IFNULL(${prefix}genesis, '') = ?`;
}
