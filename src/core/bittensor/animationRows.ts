import { RAO, U16 } from './historyBounds';
import type { AnimationFrame, AnimationFrames, AnimationRole } from './subnetHistoryModel';

/** A snapshot's frame as either store reads it: block, time, and per UID of the role [uid, hotkey id, coldkey id, stake RAO, incentive u16, dividends u16]. */
export type FrameRow = readonly [block: number, time: number, uids: readonly (readonly [number, number, number, number, number, number])[]];

/** Frames with keys as indices into the page's dictionaries, so that a key repeated over 64 frames is sent once. */
export function framesOf(found: readonly FrameRow[]): { frames: AnimationFrame[]; hotkeyIds: number[]; coldkeyIds: number[] } {
  const hotkeyIndex = new Map<number, number>();
  const coldkeyIndex = new Map<number, number>();
  const indexOf = (map: Map<number, number>, id: number) => {
    let at = map.get(id);
    if (at === undefined) map.set(id, (at = map.size));
    return at;
  };
  const frames: AnimationFrame[] = found.map(([block, time, uids]) => ({
    block,
    time,
    uids: uids.map((row) => row[0]),
    hotkeys: uids.map((row) => indexOf(hotkeyIndex, row[1])),
    coldkeys: uids.map((row) => indexOf(coldkeyIndex, row[2])),
    stake: uids.map((row) => row[3] / RAO),
    incentive: uids.map((row) => row[4] / U16),
    dividends: uids.map((row) => row[5] / U16),
  }));
  return { frames, hotkeyIds: [...hotkeyIndex.keys()], coldkeyIds: [...coldkeyIndex.keys()] };
}

/** The page, its dictionaries' ids named by `keys` (ss58 by key id). */
export function animationPage(
  netuid: number, role: AnimationRole, total: number, offset: number, built: ReturnType<typeof framesOf>, keys: ReadonlyMap<number, string>,
): AnimationFrames {
  return {
    netuid,
    role,
    total,
    offset,
    hotkeys: built.hotkeyIds.map((id) => keys.get(id)!),
    coldkeys: built.coldkeyIds.map((id) => keys.get(id)!),
    frames: built.frames,
  };
}
