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
