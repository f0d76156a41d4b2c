import type { Database as SqlDatabase, SqlValue } from 'sql.js';
import { rows } from '../sqlRows';
import type { SubnetListing } from '../../../bittensor/bittensorStore';
import { ChainGenesisRepo } from './chainGenesisRepo';
import type { ChainScope } from '../../../bittensor/chainGenesisScope';
import { BLOCKS_PER_DAY } from '../../../bittensor/model';

/** The subnet list and per-subnet figures over time (register cost, price, UIDs), for the 24 h change. */
export class SubnetRepo {
  constructor(private readonly db: SqlDatabase) {}

  /** The list as one chain (`genesis`, null when unknown) has it now: the previous list, of any chain, goes. */
  replaceListing(listings: readonly SubnetListing[], block: number, genesis: string | null = null): void {
    this.db.run('BEGIN');
    try {
      this.db.run('DELETE FROM bittensor_subnets');
      for (const s of listings) {
        this.db.run(
          'INSERT INTO bittensor_subnets (netuid, name, tempo, uids, max_uids, max_validators, burn_rao, price, block, genesis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [s.netuid, s.name, s.tempo, s.uids, s.maxUids, s.maxValidators, s.burnRao, s.priceTao, block, genesis],
        );
        this.addPointUnlocked(s.netuid, block, s.burnRao, s.priceTao, s.uids, genesis);
      }
      this.db.run('COMMIT');
    } catch (error) {
      this.db.run('ROLLBACK');
      throw error;
    }
  }

  /** The stored list; `onChain` (a WHERE fragment and its parameters, ChainGenesisRepo.onCurrent) keeps one chain's. */
  listing(onChain: [string, SqlValue[]] = ['1 = 1', []]): SubnetListing[] {
    return rows(this.db, `SELECT netuid, name, tempo, uids, max_uids, max_validators, burn_rao, price FROM bittensor_subnets WHERE ${onChain[0]} ORDER BY netuid`, onChain[1])
      .map(([netuid, name, tempo, uids, maxUids, maxValidators, burnRao, price]) => ({
        netuid: netuid as number, name: name as string, tempo: tempo as number | null, uids: uids as number,
        maxUids: maxUids as number | null, maxValidators: maxValidators as number | null, burnRao: burnRao as number | null,
        priceTao: price as number | null,
      }));
  }

  /** A point of chain `genesis` (null: unknown); another chain's point at the same block stays. */
  addPoint(netuid: number, block: number, burnRao: number | null, priceTao: number | null, uids: number | null, genesis: string | null = null): void {
    this.addPointUnlocked(netuid, block, burnRao, priceTao, uids, genesis);
  }

  private addPointUnlocked(netuid: number, block: number, burnRao: number | null, priceTao: number | null, uids: number | null, genesis: string | null): void {
    this.db.run('INSERT OR REPLACE INTO bittensor_subnet_points (chain, netuid, block, burn_rao, price, uids) VALUES (?, ?, ?, ?, ?, ?)',
      [new ChainGenesisRepo(this.db).writeScope(genesis).id, netuid, block, burnRao, priceTao, uids]);
  }

  /**
   * Register cost now minus 24 h (7,200 blocks) earlier, in RAO, on one chain: `chain`, or the chain of the newest
   * point when not given (never a point of another chain as "24 h earlier"); null without a point that old. `within`
   * ([from, to] blocks) takes "now" and "earlier" from inside a range.
   */
  burnChange24h(netuid: number, chain?: ChainScope, within: readonly [number, number] = [0, Number.MAX_SAFE_INTEGER]): number | null {
    const latest = rows(this.db,
      `SELECT chain, block, burn_rao FROM bittensor_subnet_points WHERE netuid = ? AND burn_rao IS NOT NULL AND block <= ?${chain ? ' AND chain = ?' : ''}
       ORDER BY block DESC LIMIT 1`, chain ? [netuid, within[1], chain.id] : [netuid, within[1]])[0];
    if (!latest) return null;
    const [chainId, block, burn] = latest as [number, number, number];
    const before = rows(this.db,
      'SELECT burn_rao FROM bittensor_subnet_points WHERE chain = ? AND netuid = ? AND burn_rao IS NOT NULL AND block BETWEEN ? AND ? ORDER BY block DESC LIMIT 1',
      [chainId, netuid, within[0], block - BLOCKS_PER_DAY])[0];
    return before ? burn - (before[0] as number) : null;
  }

  /** Drops points older than `beforeBlock`, keeping the newest one per subnet and chain. */
  prunePoints(beforeBlock: number): number {
    this.db.run(`DELETE FROM bittensor_subnet_points WHERE block < ? AND block < (SELECT MAX(block) FROM bittensor_subnet_points p
      WHERE p.chain = bittensor_subnet_points.chain AND p.netuid = bittensor_subnet_points.netuid)`, [beforeBlock]);
    return this.db.getRowsModified();
  }
}
