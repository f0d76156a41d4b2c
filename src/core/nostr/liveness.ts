/** Answered (or sent a heartbeat) within this long: up. */
export const UP_WINDOW_SEC = 60 * 60;
/** A request addressed to the DVM (`p` tag) unanswered for this long, with no sign of life since: silent. */
export const SILENT_AFTER_SEC = 10 * 60;

/** DESIGN.md "Liveness" windows. The product uses the defaults; tests lower them to watch a silence in seconds. */
export interface LivenessThresholds {
  readonly upWindowSec: number;
  readonly silentAfterSec: number;
}

export const DEFAULT_LIVENESS: LivenessThresholds = { upWindowSec: UP_WINDOW_SEC, silentAfterSec: SILENT_AFTER_SEC };

export type Liveness = 'up' | 'silent' | 'unknown';

export interface LivenessState {
  readonly status: Liveness;
  /** Newest answer (result or feedback) or heartbeat (kind 11998). */
  readonly lastSeen: number | null;
  /** When silent: `created_at` of the oldest request addressed to it that it left unanswered since `lastSeen`. */
  readonly unansweredSince?: number;
}

/**
 * The newest sign of life (answer or heartbeat), or null. One dated after the clock (the DVM's clock runs ahead) was
 * received, so it was sent by now: it counts as now. Dropping it would leave lastSeen null and make every request ever
 * addressed to the DVM owed an answer.
 */
export function lastSignOfLife(signs: readonly (number | null | undefined)[], now: number): number | null {
  const seen = signs.filter((value): value is number => typeof value === 'number').map((value) => Math.min(value, now));
  return seen.length > 0 ? Math.max(...seen) : null;
}

/**
 * The rules of DESIGN.md "Liveness", given what the store read: the DVM's signs of life and `unansweredSince`, the
 * oldest request addressed to it after lastSignOfLife, not cancelled, unanswered by it and older than the silence
 * threshold (undefined: none). livenessOf, livenessOfMany and the target picker (dvmChoiceRows.ts) all decide here.
 */
export function livenessFromSigns(signs: readonly (number | null | undefined)[], unansweredSince: number | undefined, now: number, thresholds: LivenessThresholds): LivenessState {
  const lastSeen = lastSignOfLife(signs, now);
  if (unansweredSince !== undefined) return { status: 'silent', lastSeen, unansweredSince };
  if (lastSeen !== null && lastSeen >= now - thresholds.upWindowSec) return { status: 'up', lastSeen };
  return { status: 'unknown', lastSeen };
}

/** Requests addressed to a DVM this recently and unanswered are waiting on it; older ones were left unanswered. */
export const WAITING_WINDOW_SEC = 86_400;

/** More than this and the views re-read their lists whole anyway (treeRefresher.ts). */
export const MAX_CHANGED = 1_000;
