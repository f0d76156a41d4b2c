import type { Database as SqlDatabase, SqlValue, Statement } from 'sql.js';
import { occupancyOf, type AxonRow, type MetagraphSnapshot, type NeuronRow, type SubnetFacts } from './model';

/**
 * Metagraph snapshots in the store. Rows keep the chain's integer units (u16 scores, RAO) and ids into the key
 * and axon dictionaries, and are scaled back on read; a neuron costs tens of bytes per snapshot (see the bench).
 */

const U16 = 65_535;
const RAO = 1e9;

export interface SnapshotInfo {
  readonly id: number;
  readonly netuid: number;
  readonly block: number;
  readonly blockTime: number;
  readonly complete: boolean;
}

export class SnapshotRepo {
  private readonly keyIds = new Map<string, number>();
  private readonly axonIds = new Map<string, number>();

  constructor(private readonly db: SqlDatabase) {}

  /** Stores a snapshot (replacing one at the same block) and rolls it into the per-UID daily rollups. */
  save(snapshot: MetagraphSnapshot, times: { takenAt: number; blockTime: number }): number {
    const db = this.db;
    db.run('BEGIN');
    try {
      const existing = db.exec('SELECT id FROM bittensor_snapshots WHERE netuid = ? AND block = ?', [snapshot.netuid, snapshot.block]);
      if (existing.length > 0) {
        const id = existing[0].values[0][0] as number;
        db.run('DELETE FROM bittensor_neurons WHERE snapshot_id = ?', [id]);
        db.run('DELETE FROM bittensor_snapshots WHERE id = ?', [id]);
      }
      const facts: SubnetFacts = {
        name: snapshot.name, symbol: snapshot.symbol, tempo: snapshot.tempo, maxUids: snapshot.maxUids,
        maxValidators: snapshot.maxValidators, burnTao: snapshot.burnTao, priceTao: snapshot.priceTao,
        movingPriceTao: snapshot.movingPriceTao, taoWeight: snapshot.taoWeight,
      };
      db.run(
        `INSERT INTO bittensor_snapshots (netuid, block, block_hash, taken_at, block_time, n, validators, coldkeys, facts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [snapshot.netuid, snapshot.block, snapshot.blockHash ?? null, times.takenAt, times.blockTime, snapshot.n,
          snapshot.validators, snapshot.coldkeys, JSON.stringify(facts)],
      );
      const snapshotId = db.exec('SELECT last_insert_rowid()')[0].values[0][0] as number;
      const day = Math.floor(times.blockTime / 86_400);
      const insertNeuron = db.prepare(
        `INSERT INTO bittensor_neurons (snapshot_id, uid, hotkey_id, coldkey_id, flags, stake_total, stake_alpha, stake_tao,
           rank, trust, consensus, incentive, dividends, validator_trust, emission, last_update, registration_block, axon_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const rollup = db.prepare(
        `INSERT INTO bittensor_uid_days (netuid, day, uid, hotkey_id, coldkey_id, samples, permit_samples, incentive_sum,
           dividends_sum, trust_sum, validator_trust_sum, emission_sum, stake_last, first_block, last_block)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (netuid, day, uid, hotkey_id) DO UPDATE SET
           samples = samples + 1, permit_samples = permit_samples + excluded.permit_samples,
           incentive_sum = incentive_sum + excluded.incentive_sum, dividends_sum = dividends_sum + excluded.dividends_sum,
           trust_sum = trust_sum + excluded.trust_sum, validator_trust_sum = validator_trust_sum + excluded.validator_trust_sum,
           emission_sum = emission_sum + excluded.emission_sum,
           stake_last = CASE WHEN excluded.last_block >= last_block THEN excluded.stake_last ELSE stake_last END,
           first_block = MIN(first_block, excluded.first_block), last_block = MAX(last_block, excluded.last_block)`,
      );
      this.loadDictionaries();
      const insertKey = db.prepare('INSERT INTO bittensor_keys (ss58) VALUES (?) RETURNING id');
      const insertAxon = db.prepare('INSERT INTO bittensor_axons (ip, port, ip_type, version) VALUES (?, ?, ?, ?) RETURNING id');
      const identity = db.prepare(
        `INSERT INTO bittensor_identities (coldkey_id, name, block) VALUES (?, ?, ?)
         ON CONFLICT (coldkey_id) DO UPDATE SET name = excluded.name, block = excluded.block WHERE excluded.block >= block`,
      );
      try {
        for (const neuron of snapshot.neurons) {
          const hotkeyId = this.keyId(neuron.hotkey, insertKey);
          const coldkeyId = this.keyId(neuron.coldkey, insertKey);
          const permit = neuron.validatorPermit ? 1 : 0;
          const scores = [neuron.rank, neuron.trust, neuron.consensus, neuron.incentive, neuron.dividends, neuron.validatorTrust].map(toU16);
          const emission = toRao(neuron.emission);
          const stake = toRao(neuron.stake);
          insertNeuron.run([
            snapshotId, neuron.uid, hotkeyId, coldkeyId, (neuron.active ? 1 : 0) | (permit << 1), stake, toRao(neuron.stakeAlpha),
            toRao(neuron.stakeTao), ...scores, emission, neuron.lastUpdate, neuron.registrationBlock, neuron.axon ? this.axonId(neuron.axon, insertAxon) : null,
          ]);
          rollup.run([snapshot.netuid, day, neuron.uid, hotkeyId, coldkeyId, permit, scores[3], scores[4], scores[1], scores[5], emission, stake,
            snapshot.block, snapshot.block]);
          if (neuron.identity) identity.run([coldkeyId, neuron.identity, snapshot.block]);
        }
      } finally {
        for (const statement of [insertNeuron, rollup, identity, insertKey, insertAxon]) statement.free();
      }
      db.run('COMMIT');
      return snapshotId;
    } catch (error) {
      db.run('ROLLBACK');
      this.keyIds.clear();
      this.axonIds.clear();
      throw error;
    }
  }

  /** Complete snapshots of a subnet, newest first. */
  list(netuid: number, limit = 1_000): SnapshotInfo[] {
    return rows(this.db, 'SELECT id, netuid, block, block_time, complete FROM bittensor_snapshots WHERE netuid = ? ORDER BY block DESC LIMIT ?', [netuid, limit])
      .map(([id, n, block, blockTime, complete]) => ({ id: id as number, netuid: n as number, block: block as number, blockTime: blockTime as number, complete: complete === 1 }));
  }

  /** The complete snapshot at `block`, else the newest at or before it; the newest of all without a block. */
  find(netuid: number, block?: number): SnapshotInfo | undefined {
    const found = rows(this.db,
      `SELECT id, netuid, block, block_time, complete FROM bittensor_snapshots
       WHERE netuid = ? AND complete = 1 AND block <= ? ORDER BY block DESC LIMIT 1`,
      [netuid, block ?? Number.MAX_SAFE_INTEGER]);
    if (found.length === 0) return undefined;
    const [id, n, b, blockTime, complete] = found[0];
    return { id: id as number, netuid: n as number, block: b as number, blockTime: blockTime as number, complete: complete === 1 };
  }

  /** The two newest complete snapshots of a subnet (newest first). */
  latestTwo(netuid: number): SnapshotInfo[] {
    return this.list(netuid, 50).filter((info) => info.complete).slice(0, 2);
  }

  /** Every subnet with at least one complete snapshot. */
  netuids(): number[] {
    return rows(this.db, 'SELECT DISTINCT netuid FROM bittensor_snapshots WHERE complete = 1 ORDER BY netuid').map(([netuid]) => netuid as number);
  }

  latestBlock(netuid: number): number | null {
    const result = this.db.exec('SELECT MAX(block) FROM bittensor_snapshots WHERE netuid = ? AND complete = 1', [netuid]);
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
    let sql = `SELECT nr.uid, hk.ss58, ck.ss58, nr.flags, nr.stake_total, nr.stake_alpha, nr.stake_tao, nr.rank, nr.trust, nr.consensus,
        nr.incentive, nr.dividends, nr.validator_trust, nr.emission, nr.last_update, nr.registration_block,
        ax.ip, ax.port, ax.ip_type, ax.version, id.name
      FROM bittensor_neurons nr
      JOIN bittensor_keys hk ON hk.id = nr.hotkey_id
      JOIN bittensor_keys ck ON ck.id = nr.coldkey_id
      LEFT JOIN bittensor_axons ax ON ax.id = nr.axon_id
      LEFT JOIN bittensor_identities id ON id.coldkey_id = nr.coldkey_id
      WHERE nr.snapshot_id = ?`;
    const params: SqlValue[] = [info.id];
    if (hotkeys) {
      sql += ` AND hk.ss58 IN (${hotkeys.map(() => '?').join(',') || 'NULL'})`;
      params.push(...hotkeys);
    }
    const neurons: NeuronRow[] = rows(this.db, `${sql} ORDER BY nr.uid`, params).map((row) => {
      const [uid, hotkey, coldkey, flags, total, alpha, tao, rank, trust, consensus, incentive, dividends, validatorTrust, emission,
        lastUpdate, registrationBlock, ip, port, ipType, version, identity] = row;
      const axon: AxonRow | null = ip === null ? null : { ip: ip as string, port: port as number, ipType: ipType as 4 | 6, version: version as number };
      return {
        uid: uid as number,
        hotkey: hotkey as string,
        coldkey: coldkey as string,
        active: ((flags as number) & 1) === 1,
        validatorPermit: ((flags as number) & 2) === 2,
        stake: (total as number) / RAO,
        stakeAlpha: (alpha as number) / RAO,
        stakeTao: (tao as number) / RAO,
        rank: (rank as number) / U16,
        trust: (trust as number) / U16,
        consensus: (consensus as number) / U16,
        incentive: (incentive as number) / U16,
        dividends: (dividends as number) / U16,
        validatorTrust: (validatorTrust as number) / U16,
        emission: (emission as number) / RAO,
        lastUpdate: lastUpdate as number,
        registrationBlock: registrationBlock as number | null,
        axon,
        ...(identity ? { identity: identity as string } : {}),
      };
    });
    return {
      ...facts,
      netuid: info.netuid,
      block: info.block,
      ...(blockHash ? { blockHash: blockHash as string } : {}),
      n: n as number,
      validators: validators as number,
      coldkeys: coldkeys as number,
      occupancy: occupancyOf(n as number, validators as number, facts.maxUids, facts.maxValidators),
      neurons,
    };
  }

  /** Loads the key and axon dictionaries once; afterwards new entries are added as they are met. */
  private loadDictionaries(): void {
    if (this.keyIds.size > 0 || this.axonIds.size > 0) return;
    for (const [id, key] of rows(this.db, 'SELECT id, ss58 FROM bittensor_keys')) this.keyIds.set(key as string, id as number);
    for (const [id, ip, port, ipType, version] of rows(this.db, 'SELECT id, ip, port, ip_type, version FROM bittensor_axons')) {
      this.axonIds.set(`${ip}|${port}|${ipType}|${version}`, id as number);
    }
  }

  private keyId(ss58: string, insert: Statement): number {
    const cached = this.keyIds.get(ss58);
    if (cached !== undefined) return cached;
    const id = insertReturningId(insert, [ss58]);
    this.keyIds.set(ss58, id);
    return id;
  }

  private axonId(axon: AxonRow, insert: Statement): number {
    const key = `${axon.ip}|${axon.port}|${axon.ipType}|${axon.version}`;
    const cached = this.axonIds.get(key);
    if (cached !== undefined) return cached;
    const id = insertReturningId(insert, [axon.ip, axon.port, axon.ipType, axon.version]);
    this.axonIds.set(key, id);
    return id;
  }

  /** Dictionary caches must forget ids when retention deletes keys. */
  forgetCachedIds(): void {
    this.keyIds.clear();
    this.axonIds.clear();
  }
}

function insertReturningId(statement: Statement, params: SqlValue[]): number {
  statement.bind(params);
  try {
    if (!statement.step()) throw new Error('INSERT … RETURNING id returned no row');
    return statement.get()[0] as number;
  } finally {
    statement.reset();
  }
}

function toU16(unit: number): number {
  return Math.round(unit * U16);
}

function toRao(amount: number): number {
  return Math.round(amount * RAO);
}

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
