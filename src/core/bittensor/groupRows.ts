import { boundedCount, RAO } from './historyBounds';
import type { GroupBy, GroupRow, GroupsTable } from './subnetHistoryModel';

/** The most groups one page of a groups table holds. */
export const GROUPS_PAGE_MAX = 1_024;

/** One group of a snapshot as either store aggregates it: key (coldkey id or IP), hotkeys, permits, stake and emission in RAO. */
export type GroupAggregate = readonly [key: number | string, hotkeys: number, validators: number, stakeRao: number, emissionRao: number];

/**
 * A page of a snapshot's groups, largest first, from the store's aggregates: coldkey ids named by `keys` (ss58) and
 * `names` (identities). Ordered here, by the ss58 text: SQL would order coldkeys by their ids.
 */
export function groupsPage(
  info: { readonly netuid: number; readonly block: number },
  by: GroupBy,
  total: number,
  found: readonly GroupAggregate[],
  keys: ReadonlyMap<number, string> | undefined,
  names: ReadonlyMap<number, string>,
  limit: number | undefined,
  offset: number,
): GroupsTable {
  const groups: GroupRow[] = found.map(([key, hotkeys, validators, stake, emission]) => {
    const name = typeof key === 'number' ? names.get(key) : undefined;
    return {
      key: typeof key === 'number' ? keys!.get(key)! : key,
      ...(name ? { name } : {}),
      hotkeys, validators, stake: stake / RAO, emission: emission / RAO,
    };
  });
  groups.sort((a, b) => b.hotkeys - a.hotkeys || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = boundedCount(limit, 50, GROUPS_PAGE_MAX);
  return { netuid: info.netuid, by, block: info.block, total, groups: groups.slice(Math.max(0, offset), Math.max(0, offset) + page) };
}

/**
 * Adds one key's rows per bucket (a JSON array of buckets, a row each, or of [bucket, rows] pairs) into `out`, which
 * maps a bucket (snapshot id or day) to one count per key, `at` being this key's place among `width` keys.
 */
export function addBucketCounts(out: Map<number, number[]>, at: number, width: number, buckets: readonly (number | readonly [number, number])[]): void {
  for (const entry of buckets) {
    const [bucket, size] = typeof entry === 'number' ? [entry, 1] : entry;
    let counts = out.get(bucket);
    if (!counts) out.set(bucket, (counts = new Array<number>(width).fill(0)));
    counts[at] += size;
  }
}

/** The series' keys, coldkeys named by their identity where they have one. */
export function seriesKeys(keys: readonly string[], ids: ReadonlyMap<string, number> | undefined, names: ReadonlyMap<number, string>): { key: string; name?: string }[] {
  return keys.map((key) => {
    const id = ids?.get(key);
    const name = id === undefined ? undefined : names.get(id);
    return name ? { key, name } : { key };
  });
}
