import type { HotkeyAlert, MetagraphSnapshot } from './model';

export interface AlertThresholds {
  /** Incentive falling below this share of the previous snapshot's value is a sharp drop. */
  readonly incentiveDropRatio: number;
  /** A validator whose weights are older than this many blocks (taostats alerts at 1,500). */
  readonly weightsStaleBlocks: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = { incentiveDropRatio: 0.5, weightsStaleBlocks: 1_500 };

/**
 * Conditions on watched hotkeys between two consecutive snapshots of one subnet. `previous` may be undefined
 * (first snapshot: only weights staleness can be judged).
 */
export function hotkeyAlerts(
  watched: readonly string[],
  previous: MetagraphSnapshot | undefined,
  current: MetagraphSnapshot,
  headBlock: number,
  thresholds: AlertThresholds = DEFAULT_ALERT_THRESHOLDS,
): HotkeyAlert[] {
  const alerts: HotkeyAlert[] = [];
  const now = new Map(current.neurons.map((neuron) => [neuron.hotkey, neuron]));
  const before = new Map((previous?.neurons ?? []).map((neuron) => [neuron.hotkey, neuron]));
  for (const hotkey of watched) {
    const was = before.get(hotkey);
    const is = now.get(hotkey);
    if (was && !is) {
      alerts.push({ hotkey, netuid: current.netuid, kind: 'deregistered',
        message: `${hotkey} (UID ${was.uid}) is no longer registered on subnet ${current.netuid} at block ${current.block}` });
      continue;
    }
    if (!is) continue;
    if (was && was.incentive > 0 && is.incentive < was.incentive * thresholds.incentiveDropRatio) {
      alerts.push({ hotkey, netuid: current.netuid, kind: 'incentive-drop',
        message: `incentive of ${hotkey} (UID ${is.uid}) on subnet ${current.netuid} fell from ${was.incentive.toFixed(5)} to ${is.incentive.toFixed(5)} between blocks ${previous!.block} and ${current.block}` });
    }
    const behind = headBlock - is.lastUpdate;
    if (is.validatorPermit && behind > thresholds.weightsStaleBlocks) {
      alerts.push({ hotkey, netuid: current.netuid, kind: 'weights-stale',
        message: `validator ${hotkey} (UID ${is.uid}) on subnet ${current.netuid} last set weights ${behind} blocks ago (more than ${thresholds.weightsStaleBlocks})` });
    }
  }
  return alerts;
}
