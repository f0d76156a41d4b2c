import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { rows } from '../sqlRows';
import type { SnapshotInfo } from '../../../bittensor/bittensorStore';
import { ChainGenesisRepo } from './chainGenesisRepo';
import { genesisKey, type ChainScope } from '../../../bittensor/chainGenesisScope';
import type { AxonRow, MetagraphSnapshot, NeuronRow, SubnetFacts } from '../../../bittensor/model';
import { axonKey, encodeNeuron, factsOf, neuronOfRow, snapshotOf } from '../../../bittensor/snapshotEncoding';
import { NEURON_ROWS_SQL, unrollDaySql } from '../../sharedSql/bittensorSql';

/**
 * Metagraph snapshots in the store. Rows keep the chain's integer units (u16 scores, RAO) and ids into the key
 * and axon dictionaries, and are scaled back on read; a neuron costs tens of bytes per snapshot (see the bench).
 */

/*
 * The first snapshot of a process runs every sql.js path cold (V8 interprets the JS glue, WASM functions are
 * compiled lazily), so its cost is roughly proportional to the number of statement executions crossing the JS/WASM
 * boundary. Hence: one plain INSERT per neuron and nothing else per row. Key and axon ids are resolved with one
 * json_each lookup for the keys of this snapshot and assigned in JS for new ones (no INSERT … RETURNING per key);
 * the daily rollups are computed inside SQLite from the rows just written.
 */
const INSERT_NEURON = `INSERT INTO bittensor_neurons (snapshot_id, uid, hotkey_id, coldkey_id, flags, stake_total, stake_alpha,
    stake_tao, rank, trust, consensus, incentive, dividends, validator_trust, emission, last_update, registration_block, axon_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

// WHERE is required before an upsert's ON CONFLICT when the rows come from a SELECT.
const ROLL_UP_DAY = `INSERT INTO bittensor_uid_days (chain, netuid, day, uid, hotkey_id, coldkey_id, samples, permit_samples, incentive_sum,
    dividends_sum, trust_sum, validator_trust_sum, emission_sum, stake_last, first_block, last_block, consensus_sum, axon_last)
  SELECT ?5, ?1, ?2, uid, hotkey_id, coldkey_id, 1, (flags >> 1) & 1, incentive, dividends, trust, validator_trust, emission,
    stake_total, ?3, ?3, consensus, axon_id
  FROM bittensor_neurons WHERE snapshot_id = ?4
  ON CONFLICT (chain, netuid, day, uid, hotkey_id) DO UPDATE SET
    samples = samples + 1, permit_samples = permit_samples + excluded.permit_samples,
    incentive_sum = incentive_sum + excluded.incentive_sum, dividends_sum = dividends_sum + excluded.dividends_sum,
    trust_sum = trust_sum + excluded.trust_sum, validator_trust_sum = validator_trust_sum + excluded.validator_trust_sum,
    emission_sum = emission_sum + excluded.emission_sum, consensus_sum = consensus_sum + excluded.consensus_sum,
    stake_last = CASE WHEN excluded.last_block >= last_block THEN excluded.stake_last ELSE stake_last END,
    axon_last = CASE WHEN excluded.last_block >= last_block THEN excluded.axon_last ELSE axon_last END,
    first_block = MIN(first_block, excluded.first_block), last_block = MAX(last_block, excluded.last_block)`;

// The inverse of ROLL_UP_DAY for one snapshot's rows: the same words in both dialects, so written once in sharedSql.
const UNROLL_DAY = unrollDaySql('?');

const UPSERT_IDENTITY = `INSERT INTO bittensor_identities (coldkey_id, name, block) VALUES (?, ?, ?)
  ON CONFLICT (coldkey_id) DO UPDATE SET name = excluded.name, block = excluded.block WHERE excluded.block >= block`;

export class SnapshotRepo {
  /** ss58 → id and axon text → id, for the keys and axons met so far (retention never deletes either). */
  private readonly keyIds = new Map<string, number>();
  private readonly axonIds = new Map<string, number>();

  constructor(private readonly db: SqlDatabase) {}

  /**
   * Stores a snapshot read from chain `genesis` (null: unknown), replacing that chain's snapshot at the same block
   * (another chain's stays), and rolls it into the chain's per-UID daily rollups.
   */
  save(snapshot: MetagraphSnapshot, times: { takenAt: number; blockTime: number }, genesis: string | null = null): number {
    const db = this.db;
    db.run('BEGIN');
    try {
      const chain = new ChainGenesisRepo(db).writeScope(genesis);
      const existing = db.exec('SELECT id, block_time FROM bittensor_snapshots WHERE netuid = ? AND IFNULL(genesis, \'\') = ? AND block = ?',
        [snapshot.netuid, genesisKey(chain), snapshot.block]);
      if (existing.length > 0) {
        const [id, blockTime] = existing[0].values[0] as [number, number];
        // Take the replaced rows out of the rollups first, or the block would count twice.
        db.run(UNROLL_DAY, [snapshot.netuid, Math.floor(blockTime / 86_400), id, chain.id]);
        db.run('DELETE FROM bittensor_uid_days WHERE samples <= 0');
        db.run('DELETE FROM bittensor_neurons WHERE snapshot_id = ?', [id]);
        db.run('DELETE FROM bittensor_snapshots WHERE id = ?', [id]);
      }
      const facts = factsOf(snapshot);
      db.run(
        `INSERT INTO bittensor_snapshots (netuid, block, block_hash, taken_at, block_time, n, validators, coldkeys, facts, genesis)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [snapshot.netuid, snapshot.block, snapshot.blockHash ?? null, times.takenAt, times.blockTime, snapshot.n,
          snapshot.validators, snapshot.coldkeys, JSON.stringify(facts), chain.genesis],
      );
      const snapshotId = db.exec('SELECT last_insert_rowid()')[0].values[0][0] as number;
      this.resolveKeys(snapshot.neurons);
      this.resolveAxons(snapshot.neurons);
      const insertNeuron = db.prepare(INSERT_NEURON);
      const identity = db.prepare(UPSERT_IDENTITY);
      try {
        const row: SqlValue[] = new Array(18);
        row[0] = snapshotId;
        for (const neuron of snapshot.neurons) {
          const coldkeyId = this.keyIds.get(neuron.coldkey)!;
          row[1] = neuron.uid;
          row[2] = this.keyIds.get(neuron.hotkey)!;
          row[3] = coldkeyId;
          const encoded = encodeNeuron(neuron);
          for (let i = 0; i < encoded.length; i++) row[4 + i] = encoded[i];
          row[17] = neuron.axon ? this.axonIds.get(axonKey(neuron.axon))! : null;
          insertNeuron.run(row);
          if (neuron.identity) identity.run([coldkeyId, neuron.identity, snapshot.block]);
        }
      } finally {
        insertNeuron.free();
        identity.free();
      }
      db.run(ROLL_UP_DAY, [snapshot.netuid, Math.floor(times.blockTime / 86_400), snapshot.block, snapshotId, chain.id]);
      db.run('COMMIT');
      return snapshotId;
    } catch (error) {
      db.run('ROLLBACK');
      // Ids assigned in this transaction are gone with it.
      this.forgetCachedIds();
      throw error;
    }
  }

  /** Fills keyIds for every hotkey and coldkey of `neurons`: known ones in one lookup, new ones inserted at once. */
  private resolveKeys(neurons: readonly NeuronRow[]): void {
    const missing = new Set<string>();
    for (const neuron of neurons) {
      if (!this.keyIds.has(neuron.hotkey)) missing.add(neuron.hotkey);
      if (!this.keyIds.has(neuron.coldkey)) missing.add(neuron.coldkey);
    }
    if (missing.size === 0) return;
    const first = this.nextId('bittensor_keys');
    if (first > 1) {
      const known = jsonRows(this.db,
        'SELECT json_group_array(json_array(id, ss58)) FROM bittensor_keys WHERE ss58 IN (SELECT value FROM json_each(CAST(? AS TEXT)))',
        jsonBlob([...missing])) as [number, string][];
      for (const [id, ss58] of known) {
        this.keyIds.set(ss58, id);
        missing.delete(ss58);
      }
      if (missing.size === 0) return;
    }
    const added = [...missing];
    this.db.run('INSERT INTO bittensor_keys (id, ss58) SELECT ?1 + key, value FROM json_each(CAST(?2 AS TEXT))', [first, jsonBlob(added)]);
    added.forEach((ss58, index) => this.keyIds.set(ss58, first + index));
  }

  /** The same for axons, keyed by their four fields. */
  private resolveAxons(neurons: readonly NeuronRow[]): void {
    const missing = new Map<string, AxonRow>();
    for (const { axon } of neurons) {
      if (!axon) continue;
      const key = axonKey(axon);
      if (!this.axonIds.has(key)) missing.set(key, axon);
    }
    if (missing.size === 0) return;
    const first = this.nextId('bittensor_axons');
    if (first > 1) {
      const known = jsonRows(this.db,
        `SELECT json_group_array(json_array(id, ip, port, ip_type, version)) FROM bittensor_axons
         WHERE ip IN (SELECT value FROM json_each(CAST(? AS TEXT)))`,
        jsonBlob([...new Set([...missing.values()].map((axon) => axon.ip))])) as [number, string, number, number, number][];
      for (const [id, ip, port, ipType, version] of known) {
        const key = `${ip}|${port}|${ipType}|${version}`;
        this.axonIds.set(key, id);
        missing.delete(key);
      }
      if (missing.size === 0) return;
    }
    const added = [...missing.values()];
    this.db.run(
      `INSERT INTO bittensor_axons (id, ip, port, ip_type, version)
       SELECT ?1 + key, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(CAST(?2 AS TEXT))`,
      [first, jsonBlob(added.map((axon) => [axon.ip, axon.port, axon.ipType, axon.version]))],
    );
    added.forEach((axon, index) => this.axonIds.set(axonKey(axon), first + index));
  }

  private nextId(table: 'bittensor_keys' | 'bittensor_axons'): number {
    return ((this.db.exec(`SELECT MAX(id) FROM ${table}`)[0]?.values[0][0] as number | null) ?? 0) + 1;
  }

  /** Snapshots of a subnet (of one chain's, or of every chain without `chain`), newest first. */
  list(netuid: number, limit = 1_000, chain?: ChainScope): SnapshotInfo[] {
    const [onChain, params] = chainClause(chain);
    return rows(this.db, `SELECT id, netuid, block, block_time, complete FROM bittensor_snapshots WHERE netuid = ? AND ${onChain} ORDER BY block DESC LIMIT ?`,
      [netuid, ...params, limit])
      .map(([id, n, block, blockTime, complete]) => ({ id: id as number, netuid: n as number, block: block as number, blockTime: blockTime as number, complete: complete === 1 }));
  }

  /**
   * The complete snapshot at `block`, else the newest at or before it; the newest of all without a block. Of chain
   * `chain` only when given (another chain's snapshot at the same block is never the answer then).
   */
  find(netuid: number, block?: number, chain?: ChainScope): SnapshotInfo | undefined {
    const [onChain, params] = chainClause(chain);
    const found = rows(this.db,
      `SELECT id, netuid, block, block_time, complete FROM bittensor_snapshots
       WHERE netuid = ? AND ${onChain} AND complete = 1 AND block <= ? ORDER BY block DESC LIMIT 1`,
      [netuid, ...params, block ?? Number.MAX_SAFE_INTEGER]);
    if (found.length === 0) return undefined;
    const [id, n, b, blockTime, complete] = found[0];
    return { id: id as number, netuid: n as number, block: b as number, blockTime: blockTime as number, complete: complete === 1 };
  }

  /** The two newest complete snapshots of a subnet (newest first). */
  latestTwo(netuid: number, chain?: ChainScope): SnapshotInfo[] {
    return this.list(netuid, 50, chain).filter((info) => info.complete).slice(0, 2);
  }

  /** Every subnet with at least one complete snapshot. */
  netuids(): number[] {
    return rows(this.db, 'SELECT DISTINCT netuid FROM bittensor_snapshots WHERE complete = 1 ORDER BY netuid').map(([netuid]) => netuid as number);
  }

  latestBlock(netuid: number, chain?: ChainScope): number | null {
    const [onChain, params] = chainClause(chain);
    const result = this.db.exec(`SELECT MAX(block) FROM bittensor_snapshots WHERE netuid = ? AND ${onChain} AND complete = 1`, [netuid, ...params]);
    return (result[0]?.values[0][0] as number | null) ?? null;
  }

  /** The subnet figures stored with a snapshot. */
  facts(info: SnapshotInfo): SubnetFacts {
    return JSON.parse(rows(this.db, 'SELECT facts FROM bittensor_snapshots WHERE id = ?', [info.id])[0][0] as string) as SubnetFacts;
  }

  /** Reads a snapshot back, scaled; `hotkeys` limits the rows (alerts read only pinned hotkeys). */
  read(info: SnapshotInfo, hotkeys?: readonly string[]): MetagraphSnapshot {
    const header = rows(this.db, 'SELECT block_hash, n, validators, coldkeys, facts FROM bittensor_snapshots WHERE id = ?', [info.id])[0];
    const [blockHash, n, validators, coldkeys, factsJson] = header;
    const facts = JSON.parse(factsJson as string) as SubnetFacts;
    let sql = `${NEURON_ROWS_SQL} WHERE nr.snapshot_id = ?`;
    const params: SqlValue[] = [info.id];
    if (hotkeys) {
      sql += ` AND hk.ss58 IN (${hotkeys.map(() => '?').join(',') || 'NULL'})`;
      params.push(...hotkeys);
    }
    const neurons: NeuronRow[] = rows(this.db, `${sql} ORDER BY nr.uid`, params).map(neuronOfRow);
    return snapshotOf(info, { blockHash: blockHash as string | null, n: n as number, validators: validators as number, coldkeys: coldkeys as number, facts }, neurons);
  }

  /** Dictionary caches must forget ids when the keys or axons tables are changed behind this repo's back. */
  forgetCachedIds(): void {
    this.keyIds.clear();
    this.axonIds.clear();
  }
}

/** A WHERE fragment keeping one chain's headers (matching the unique index's expression), or every chain's. */
function chainClause(chain: ChainScope | undefined): [string, SqlValue[]] {
  return chain === undefined ? ['1 = 1', []] : ["IFNULL(genesis, '') = ?", [genesisKey(chain)]];
}

/**
 * JSON bound as UTF-8 bytes, read back with CAST(? AS TEXT): sql.js binds a string by measuring and copying it one
 * code point at a time in JS, while a Uint8Array is copied into WASM memory at once. (A blob must not reach json_each
 * uncast: SQLite would take it for JSONB.)
 */
function jsonBlob(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * Rows aggregated into one JSON text by the query (json_group_array): reading a thousand rows back one by one costs
 * several JS/WASM crossings and a string decode per row, one JSON text costs one of each.
 */
function jsonRows(db: SqlDatabase, sql: string, param: Uint8Array): unknown[][] {
  const text = rows(db, sql, [param])[0]?.[0];
  return typeof text === 'string' ? (JSON.parse(text) as unknown[][]) : [];
}
