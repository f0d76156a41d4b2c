import type { HotkeyAlert } from './model';

const PREFIX = 'bittensor:';

/** The alert records this needs, answered at once (the sql.js AlertStateRepo is one). */
export interface AlertRecords {
  raisedAt(key: string): number | undefined;
  raise(key: string, at: number): void;
  /** Returns whether an alert was on record. */
  clear(key: string): boolean;
  list(prefix: string): { key: string; raisedAt: number }[];
}

/**
 * Which watched-hotkey alerts are new, remembered in the database (AlertStateRepo) so that a restarted engine does
 * not announce again what the user was told: an event (deregistered, incentive drop) once per snapshot block, an
 * ongoing condition (weights not set) once until it ends, and again if it comes back.
 *
 * `alerts` are everything hotkeyAlerts() finds in one subnet's snapshot at `block`; conditions of that subnet that are
 * no longer among them have ended and are forgotten. Returns the alerts to announce (now on record) and the ongoing
 * ones that were announced before.
 */
export function untoldAlerts(
  state: AlertRecords,
  netuid: number,
  block: number,
  alerts: readonly HotkeyAlert[],
  now: number,
): { readonly untold: HotkeyAlert[]; readonly ongoing: HotkeyAlert[]; readonly changed: boolean } {
  let changed = false;
  const conditionPrefix = `${PREFIX}weights-stale:${netuid}:`;
  const holding = new Set(alerts.filter((alert) => alert.kind === 'weights-stale').map(conditionKey));
  for (const { key } of state.list(conditionPrefix)) {
    if (!holding.has(key)) changed = state.clear(key) || changed;
  }
  const untold: HotkeyAlert[] = [];
  const ongoing: HotkeyAlert[] = [];
  for (const alert of alerts) {
    if (alert.kind === 'weights-stale') {
      const key = conditionKey(alert);
      if (state.raisedAt(key) !== undefined) {
        ongoing.push(alert);
        continue;
      }
      state.raise(key, now);
    } else {
      // One key per event and block; an older block's key is dropped so the table keeps one per hotkey and kind.
      const eventPrefix = `${PREFIX}${alert.kind}:${alert.netuid}:${alert.hotkey}:`;
      const told = state.list(eventPrefix);
      if (told.some(({ key }) => Number(key.slice(eventPrefix.length)) >= block)) continue;
      for (const { key } of told) state.clear(key);
      state.raise(`${eventPrefix}${block}`, now);
    }
    changed = true;
    untold.push(alert);
  }
  return { untold, ongoing, changed };
}

function conditionKey(alert: HotkeyAlert): string {
  return `${PREFIX}${alert.kind}:${alert.netuid}:${alert.hotkey}`;
}
