/**
 * Event ids and pubkeys are 64-hex text everywhere in Swarmscope except the database, which keeps them as 32-byte
 * BLOBs (nostrMigrations). Queries that return them select `lower(hex(col))` and bind `unhex(?)`; the ingest hot
 * path binds bytes directly with these two.
 */
export function idBytes(hex: string): Uint8Array {
  return Buffer.from(hex, 'hex');
}

/**
 * Hex of a BLOB column (either store's driver gives a Uint8Array); '' for the empty BLOB (a rollup row that is no
 * DVM's) or a non-BLOB.
 */
export function idHex(value: unknown): string {
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') : '';
}

/** The empty BLOB: the `dvm` of rollup rows that are no DVM's figure (requests). */
export const NO_DVM = new Uint8Array(0);
