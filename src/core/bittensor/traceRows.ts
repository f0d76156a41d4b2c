import { SECONDS_PER_DAY } from './historyBounds';
import type { TracePoint, TraceSelection, TraceSeries } from './subnetHistoryModel';

/** One trace series in the making, on either store: its points, and the newest keys seen for it. */
export interface TraceBuilding {
  readonly key: string;
  readonly uid: number | null;
  hotkeyId: number | null;
  coldkeyId: number | null;
  newestBlock: number;
  readonly points: TracePoint[];
}

/** A selection from a client has exactly one of its shapes; anything else is refused by name. */
export function isUidSelection(selection: TraceSelection): selection is { readonly uids: readonly number[] } {
  const value = selection as Record<string, unknown> | null;
  if (value && Array.isArray(value.uids)) return true;
  if (value && (Array.isArray(value.hotkeys) || typeof value.top === 'number')) return false;
  throw new Error(`select must be { hotkeys: [...] }, { uids: [...] } or { top: N }, not ${JSON.stringify(selection)}`);
}

/** Empty series keyed by what is selected: UIDs, or [hotkey id, hotkey] pairs. */
export function startSeries(byUid: boolean, selected: readonly number[] | readonly [number, string][]): Map<number, TraceBuilding> {
  const series = new Map<number, TraceBuilding>();
  for (const [value, key] of byUid ? (selected as number[]).map((uid) => [uid, `uid:${uid}`] as const) : (selected as [number, string][])) {
    series.set(value, { key, uid: byUid ? value : null, hotkeyId: byUid ? null : value, coldkeyId: null, newestBlock: -1, points: [] });
  }
  return series;
}

/** Keeps the keys of a series' newest row (a UID's series is coloured by whoever holds it last). */
export function noteKeys(building: TraceBuilding, block: number, hotkeyId: number, coldkeyId: number): void {
  if (block < building.newestBlock) return;
  building.newestBlock = block;
  if (building.uid !== null) building.hotkeyId = hotkeyId;
  building.coldkeyId = coldkeyId;
}

/** Daily rollup rows ([day, selected value, value, last block, hotkey id, coldkey id, ...]) as points at each day's block. */
export function addDailyPoints(
  series: ReadonlyMap<number, TraceBuilding>, days: readonly { day: number; block: number }[],
  found: readonly (readonly [number, number, number | null, number, number, number, ...number[]])[], scale: number,
): void {
  const blockOfDay = new Map(days.map((d) => [d.day, d.block]));
  for (const [day, selectedValue, value, lastBlock, hotkeyId, coldkeyId] of found) {
    const building = series.get(selectedValue)!;
    building.points.push({ block: blockOfDay.get(day)!, time: day * SECONDS_PER_DAY, value: value === null ? null : value / scale, daily: true });
    noteKeys(building, lastBlock, hotkeyId, coldkeyId);
  }
}

/** Raw snapshot rows ([snapshot id, selected value, value, hotkey id, coldkey id]) as points, in block order. */
export function addRawPoints(
  series: ReadonlyMap<number, TraceBuilding>, raw: readonly { id: number; block: number; time: number }[],
  found: [number, number, number, number, number][], scale: number,
): void {
  const snapshotOf = new Map(raw.map((s) => [s.id, s]));
  // Rows arrive by snapshot id, which follows save order, not block order (a backfill saves past blocks late).
  found.sort((a, b) => snapshotOf.get(a[0])!.block - snapshotOf.get(b[0])!.block);
  for (const [snapshotId, selectedValue, value, hotkeyId, coldkeyId] of found) {
    const snapshot = snapshotOf.get(snapshotId)!;
    const building = series.get(selectedValue)!;
    building.points.push({ block: snapshot.block, time: snapshot.time, value: value / scale, daily: false });
    noteKeys(building, snapshot.block, hotkeyId, coldkeyId);
  }
}

/** Key ids the finished series name (ask the store for their ss58). */
export function seriesKeyIds(series: ReadonlyMap<number, TraceBuilding>): number[] {
  return [...series.values()].flatMap((s) => [s.hotkeyId, s.coldkeyId]).filter((id): id is number => id !== null);
}

export function finishSeries(series: ReadonlyMap<number, TraceBuilding>, keys: ReadonlyMap<number, string>): TraceSeries[] {
  return [...series.values()].map((s) => ({
    key: s.key,
    hotkey: s.hotkeyId === null ? null : keys.get(s.hotkeyId) ?? null,
    coldkey: s.coldkeyId === null ? null : keys.get(s.coldkeyId) ?? null,
    uid: s.uid,
    points: s.points,
  }));
}
