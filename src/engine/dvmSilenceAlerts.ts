import type { NostrCore } from '../core/nostr/nostrCore';
import type { AlertStateRepo } from '../core/store/alertStateRepo';
import type { PinRepo } from '../core/store/pinRepo';
import { describeError } from '../core/util/errors';
import { isoTime } from '../core/util/isoTime';
import type { Logger } from '../core/util/logger';
import type { EngineNotification } from '../protocol/engineProtocol';

const KEY_PREFIX = 'nostr:silent:';

export interface DvmSilenceAlertsOptions {
  readonly core: NostrCore;
  readonly pins: PinRepo;
  readonly alerts: AlertStateRepo;
  readonly notify: (notification: EngineNotification) => void;
  readonly log: Logger;
  /** The alert state changed: the database has something to save. */
  readonly markDirty: () => void;
}

/**
 * DESIGN.md: a notification when a watched DVM stops answering (requests addressed to it by `p` tag left unanswered
 * past the silence threshold); one per silence, re-armed once the DVM is seen up again. Which silences were announced
 * is kept in the database (AlertStateRepo), so a restarted engine does not announce an ongoing silence again.
 */
export class DvmSilenceAlerts {
  /** The first check after a start says, once, which announced silences go on. */
  private firstCheck = true;

  constructor(private readonly options: DvmSilenceAlertsOptions) {}

  check(now: number): void {
    const { core, pins, alerts, log } = this.options;
    const watched = pins.list('dvm');
    const pinned = new Set(watched.map((pin) => pin.key.toLowerCase()));
    let dirty = false;
    for (const { key } of alerts.list(KEY_PREFIX)) {
      if (!pinned.has(key.slice(KEY_PREFIX.length))) dirty = alerts.clear(key) || dirty; // unwatched: forget its silence
    }
    for (const pin of watched) {
      const pubkey = pin.key.toLowerCase();
      const key = `${KEY_PREFIX}${pubkey}`;
      try {
        const liveness = core.liveness(pubkey, now);
        const announcedAt = alerts.raisedAt(key);
        const name = () => pin.label ?? core.dvm(pubkey, now, 1)?.summary.name;
        if (liveness.status === 'silent' && announcedAt === undefined) {
          alerts.raise(key, now);
          dirty = true;
          const shown = name();
          this.options.notify({
            topic: 'nostr.alert',
            payload: { pubkey, ...(shown ? { name: shown } : {}), message: `${shown ?? pubkey.slice(0, 12)} has not answered a job addressed to it for ${durationText(now - (liveness.unansweredSince ?? now))}` },
          });
        } else if (liveness.status === 'silent' && this.firstCheck) {
          log.log('info', `${name() ?? pubkey.slice(0, 12)} is still silent; its silence was announced at ${isoTime(announcedAt!)} and is not announced again`);
        } else if (liveness.status === 'up' && announcedAt !== undefined) {
          dirty = alerts.clear(key) || dirty;
        }
      } catch (error) {
        log.log('warn', `liveness check of ${pubkey} failed: ${describeError(error)}`);
      }
    }
    this.firstCheck = false;
    if (dirty) this.options.markDirty();
  }
}

function durationText(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
