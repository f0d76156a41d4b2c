import type pg from 'pg';
import type { SnapshotInfo, SnapshotStore } from '../../bittensor/bittensorStore';
import { genesisKey, type ChainScope } from '../../bittensor/chainGenesisScope';
import type { AxonRow, MetagraphSnapshot, NeuronRow, SubnetFacts } from '../../bittensor/model';
import { axonKey, encodeNeuron, factsOf, neuronOfRow, snapshotOf } from '../../bittensor/snapshotEncoding';
import { NEURON_ROWS_SQL, unrollDaySql } from '../sharedSql/bittensorSql';
import { writeScope } from './pgBittensorChain';
import { notifyBittensorChange } from './pgChangeNotices';
import { pgColumn, pgRow, pgRows, pgValue } from './pgReader';
import { BITTENSOR_WRITE_LOCK, inPgTransaction, type PgPool } from './pgTransaction';

/**
 * Metagraph snapshots on PostgreSQL: snapshotRepo.ts's rows (the same encoding, snapshotEncoding.ts) written in one
 * transaction of a few statements whatever the number of neurons: the rows as one unnest insert, the keys and axons
 * the snapshot brings as one upsert each, the daily rollups computed by the server from the rows just written.
 */

/** The rows of one snapshot as columns, one array parameter each, in bittensor_neurons' order after snapshot_id. */
const INSERT_NEURONS = `INSERT INTO bittensor_neurons (snapshot_id, uid, hotkey_id, coldkey_id, flags, stake_total, stake_alpha, stake_tao,
    rank, trust, consensus, incentive, dividends, validator_trust, emission, last_update, registration_block, axon_id)
  SELECT $1, * FROM unnest($2::int[], $3::bigint[], $4::bigint[], $5::int[], $6::bigint[], $7::bigint[], $8::bigint[], $9::int[], $10::int[],
    $11::int[], $12::int[], $13::int[], $14::int[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[])`;

/** snapshotRepo.ts's ROLL_UP_DAY: $1 netuid, $2 day, $3 block, $4 snapshot id, $5 chain id. */
const ROLL_UP_DAY = `INSERT INTO bittensor_uid_days AS d (chain, netuid, day, uid, hotkey_id, coldkey_id, samples, permit_samples, incentive_sum,
    dividends_sum, trust_sum, validator_trust_sum, emission_sum, stake_last, first_block, last_block, consensus_sum, axon_last)
  SELECT $5, $1, $2, uid, hotkey_id, coldkey_id, 1, (flags >> 1) & 1, incentive, dividends, trust, validator_trust, emission,
    stake_total, $3, $3, consensus, axon_id
  FROM bittensor_neurons WHERE snapshot_id = $4
  ON CONFLICT (chain, netuid, day, uid, hotkey_id) DO UPDATE SET
    samples = d.samples + 1, permit_samples = d.permit_samples + excluded.permit_samples,
    incentive_sum = d.incentive_sum + excluded.incentive_sum, dividends_sum = d.dividends_sum + excluded.dividends_sum,
    trust_sum = d.trust_sum + excluded.trust_sum, validator_trust_sum = d.validator_trust_sum + excluded.validator_trust_sum,
    emission_sum = d.emission_sum + excluded.emission_sum, consensus_sum = d.consensus_sum + excluded.consensus_sum,
    stake_last = CASE WHEN excluded.last_block >= d.last_block THEN excluded.stake_last ELSE d.stake_last END,
    axon_last = CASE WHEN excluded.last_block >= d.last_block THEN excluded.axon_last ELSE d.axon_last END,
    first_block = LEAST(d.first_block, excluded.first_block), last_block = GREATEST(d.last_block, excluded.last_block)`;

const UNROLL_DAY = unrollDaySql('$');

/** One statement gives every key its id: new ones inserted (a concurrent collector's too), known ones read. */
const RESOLVE_KEYS = `WITH wanted AS (SELECT unnest($1::text[]) AS ss58),
    added AS (INSERT INTO bittensor_keys (ss58) SELECT ss58 FROM wanted ON CONFLICT (ss58) DO NOTHING RETURNING id, ss58)
  SELECT id, ss58 FROM added UNION ALL SELECT k.id, k.ss58 FROM bittensor_keys k JOIN wanted USING (ss58)`;

const RESOLVE_AXONS = `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[]) AS w (ip, port, ip_type, version)),
    added AS (INSERT INTO bittensor_axons (ip, port, ip_type, version) SELECT * FROM wanted ON CONFLICT (ip, port, ip_type, version) DO NOTHING
      RETURNING id, ip, port, ip_type, version)
  SELECT * FROM added UNION ALL SELECT a.id, a.ip, a.port, a.ip_type, a.version FROM bittensor_axons a JOIN wanted USING (ip, port, ip_type, version)`;

const UPSERT_IDENTITIES = `INSERT INTO bittensor_identities AS i (coldkey_id, name, block) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
  ON CONFLICT (coldkey_id) DO UPDATE SET name = excluded.name, block = excluded.block WHERE excluded.block >= i.block`;

const HEADER_COLUMNS = 'id, netuid, block, block_time, complete';

export class PgSnapshotStore implements SnapshotStore {
  /** ss58 → id and axon key → id, for keys and axons committed so far (nothing ever deletes either). */
  private readonly keyIds = new Map<string, number>();
  private readonly axonIds = new Map<string, number>();

  constructor(private readonly pool: PgPool) {}

  async save(snapshot: MetagraphSnapshot, times: { readonly takenAt: number; readonly blockTime: number }, genesis: string | null): Promise<number> {
    const found = { keys: new Map<string, number>(), axons: new Map<string, number>() };
    const id = await inPgTransaction(this.pool, async (client) => {
      const chain = await writeScope(client, genesis);
      const existing = await pgRow<[number, number]>(client,
        "SELECT id, block_time FROM bittensor_snapshots WHERE netuid = $1 AND COALESCE(genesis, '') = $2 AND block = $3 FOR UPDATE",
        [snapshot.netuid, genesisKey(chain), snapshot.block]);
      if (existing) {
        const [oldId, blockTime] = existing;
        // Take the replaced rows out of the rollups first, or the block would count twice.
        await client.query(UNROLL_DAY, [snapshot.netuid, Math.floor(blockTime / 86_400), oldId, chain.id]);
        await client.query('DELETE FROM bittensor_uid_days WHERE samples <= 0');
        await client.query('DELETE FROM bittensor_neurons WHERE snapshot_id = $1', [oldId]);
        await client.query('DELETE FROM bittensor_snapshots WHERE id = $1', [oldId]);
      }
      const snapshotId = (await pgValue<number>(client,
        `INSERT INTO bittensor_snapshots (netuid, block, block_hash, taken_at, block_time, n, validators, coldkeys, facts, genesis)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
        [snapshot.netuid, snapshot.block, snapshot.blockHash ?? null, times.takenAt, times.blockTime, snapshot.n, snapshot.validators,
          snapshot.coldkeys, JSON.stringify(factsOf(snapshot)), chain.genesis]))!;
      await this.resolveKeys(client, snapshot.neurons, found.keys);
      await this.resolveAxons(client, snapshot.neurons, found.axons);
      const keyId = (ss58: string) => this.keyIds.get(ss58) ?? found.keys.get(ss58)!;
      const columns: unknown[][] = Array.from({ length: 17 }, () => []);
      const identities = new Map<number, string>();
      for (const neuron of snapshot.neurons) {
        const coldkeyId = keyId(neuron.coldkey);
        const row = [neuron.uid, keyId(neuron.hotkey), coldkeyId, ...encodeNeuron(neuron),
          neuron.axon ? this.axonIds.get(axonKey(neuron.axon)) ?? found.axons.get(axonKey(neuron.axon))! : null];
        for (let i = 0; i < row.length; i++) columns[i].push(row[i]);
        // The last row naming a coldkey wins, as the sql.js repo's row-by-row upsert leaves it.
        if (neuron.identity) identities.set(coldkeyId, neuron.identity);
      }
      await client.query(INSERT_NEURONS, [snapshotId, ...columns]);
      if (identities.size > 0) {
        await client.query(UPSERT_IDENTITIES, [[...identities.keys()], [...identities.values()], [...identities.keys()].map(() => snapshot.block)]);
      }
      await client.query(ROLL_UP_DAY, [snapshot.netuid, Math.floor(times.blockTime / 86_400), snapshot.block, snapshotId, chain.id]);
      // Editors on this database read the subnet again; PostgreSQL delivers the notice at COMMIT, and only then.
      await notifyBittensorChange(client, [snapshot.netuid]);
      return snapshotId;
    }, BITTENSOR_WRITE_LOCK);
    // Only committed ids are cached: a rolled-back transaction's would name rows that never were.
    for (const [key, value] of found.keys) this.keyIds.set(key, value);
    for (const [key, value] of found.axons) this.axonIds.set(key, value);
    return id;
  }

  private async resolveKeys(client: pg.PoolClient, neurons: readonly NeuronRow[], into: Map<string, number>): Promise<void> {
    const missing = new Set<string>();
    for (const { hotkey, coldkey } of neurons) {
      if (!this.keyIds.has(hotkey)) missing.add(hotkey);
      if (!this.keyIds.has(coldkey)) missing.add(coldkey);
    }
    if (missing.size === 0) return;
    for (const [id, ss58] of await pgRows<[number, string]>(client, RESOLVE_KEYS, [[...missing]])) into.set(ss58, id);
  }

  private async resolveAxons(client: pg.PoolClient, neurons: readonly NeuronRow[], into: Map<string, number>): Promise<void> {
    const missing = new Map<string, AxonRow>();
    for (const { axon } of neurons) if (axon && !this.axonIds.has(axonKey(axon))) missing.set(axonKey(axon), axon);
    if (missing.size === 0) return;
    const axons = [...missing.values()];
    const found = await pgRows<[number, string, number, 4 | 6, number]>(client, RESOLVE_AXONS,
      [axons.map((a) => a.ip), axons.map((a) => a.port), axons.map((a) => a.ipType), axons.map((a) => a.version)]);
    for (const [id, ip, port, ipType, version] of found) into.set(axonKey({ ip, port, ipType, version }), id);
  }

  async list(netuid: number, limit = 1_000, chain?: ChainScope): Promise<SnapshotInfo[]> {
    const [onChain, params] = chainClause(chain, 3);
    return (await pgRows<HeaderRow>(this.pool,
      `SELECT ${HEADER_COLUMNS} FROM bittensor_snapshots WHERE netuid = $1 AND ${onChain} ORDER BY block DESC LIMIT $2`, [netuid, limit, ...params])).map(infoOf);
  }

  async find(netuid: number, block?: number, chain?: ChainScope): Promise<SnapshotInfo | undefined> {
    const [onChain, params] = chainClause(chain, 3);
    const found = await pgRow<HeaderRow>(this.pool,
      `SELECT ${HEADER_COLUMNS} FROM bittensor_snapshots WHERE netuid = $1 AND ${onChain} AND complete = 1 AND block <= $2 ORDER BY block DESC LIMIT 1`,
      [netuid, block ?? Number.MAX_SAFE_INTEGER, ...params]);
    return found && infoOf(found);
  }

  async latestTwo(netuid: number, chain?: ChainScope): Promise<SnapshotInfo[]> {
    return (await this.list(netuid, 50, chain)).filter((info) => info.complete).slice(0, 2);
  }

  netuids(): Promise<number[]> {
    return pgColumn<number>(this.pool, 'SELECT DISTINCT netuid FROM bittensor_snapshots WHERE complete = 1 ORDER BY netuid');
  }

  async latestBlock(netuid: number, chain?: ChainScope): Promise<number | null> {
    const [onChain, params] = chainClause(chain, 2);
    return (await pgValue<number | null>(this.pool, `SELECT MAX(block) FROM bittensor_snapshots WHERE netuid = $1 AND ${onChain} AND complete = 1`,
      [netuid, ...params])) ?? null;
  }

  async facts(info: SnapshotInfo): Promise<SubnetFacts> {
    return JSON.parse((await pgValue<string>(this.pool, 'SELECT facts FROM bittensor_snapshots WHERE id = $1', [info.id]))!) as SubnetFacts;
  }

  async read(info: SnapshotInfo, hotkeys?: readonly string[]): Promise<MetagraphSnapshot> {
    const [blockHash, n, validators, coldkeys, factsJson] = (await pgRow<[string | null, number, number, number, string]>(this.pool,
      'SELECT block_hash, n, validators, coldkeys, facts FROM bittensor_snapshots WHERE id = $1', [info.id]))!;
    const rows = await pgRows(this.pool,
      `${NEURON_ROWS_SQL} WHERE nr.snapshot_id = $1 ${hotkeys ? 'AND hk.ss58 = ANY($2::text[])' : ''} ORDER BY nr.uid`,
      hotkeys ? [info.id, [...hotkeys]] : [info.id]);
    const neurons = rows.map(neuronOfRow);
    return snapshotOf(info, { blockHash, n, validators, coldkeys, facts: JSON.parse(factsJson) as SubnetFacts }, neurons);
  }
}

type HeaderRow = [number, number, number, number, number];

function infoOf([id, netuid, block, blockTime, complete]: HeaderRow): SnapshotInfo {
  return { id, netuid, block, blockTime, complete: complete === 1 };
}

/** A WHERE term (its parameter numbered `$at`) keeping one chain's headers as the unique index keys them, or every chain's. */
export function chainClause(chain: ChainScope | undefined, at: number): [string, unknown[]] {
  return chain === undefined ? ['TRUE', []] : [`COALESCE(genesis, '') = $${at}`, [genesisKey(chain)]];
}
