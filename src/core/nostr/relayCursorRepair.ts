/**
 * How far past the collector's clock a relay cursor may go: a DVM whose clock runs a few seconds fast dates its
 * events ahead of ours. It must stay below the backfill overlap (relayTypes `overlapSeconds`, 60 s by default),
 * since the overlap is what takes the next backfill back over it.
 */
export const CURSOR_CLOCK_SKEW_SECONDS = 10;

/** A cursor found ahead of the clock at start, and where it was put back (undefined: removed). */
export interface RepairedCursor {
  readonly relay: string;
  readonly was: number;
  readonly now: number | undefined;
}
