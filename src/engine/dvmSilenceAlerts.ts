import type { NostrPageRepo } from '../core/nostr/nostrStore';
import { describeError } from '../core/util/errors';
import { isoTime } from '../core/util/isoTime';
import type { Logger } from '../core/util/logger';
import type { EngineNotification } from '../protocol/engineProtocol';
import type { AlertsView, PinsView } from './engineStateView';

const KEY_PREFIX = 'nostr:silent:';

export interface DvmSilenceAlertsOptions {
  /** Liveness and names of DVMs. */
  readonly pages: Pick<NostrPageRepo, 'liveness' | 'dvm'>;
  readonly pins: PinsView;
  /** Written through to the storage by the engine. */
  readonly alerts: AlertsView;
  readonly notify: (notification: EngineNotification) => void;
  readonly log: Logger;
}

/**
 * DESIGN.md: a notification when a watched DVM stops answering (requests addressed to it by `p` tag left unanswered
 * past the silence threshold); one per silence, re-armed once the DVM is seen up again. Which silences were announced
 * is kept in the database (the engine's alert state), so a restarted engine does not announce an ongoing silence again.
 */
export class DvmSilenceAlerts {
  /** The first check after a start says, once, which announced silences go on. */
  private firstCheck = true;

  constructor(private readonly options: DvmSilenceAlertsOptions) {}

  async check(now: number): Promise<void> {
    const { pages, pins, alerts, log } = this.options;
    const watched = pins.list('dvm');
    const pinned = new Set(watched.map((pin) => pin.key.toLowerCase()));
    for (const { key } of alerts.list(KEY_PREFIX)) {
      if (!pinned.has(key.slice(KEY_PREFIX.length))) alerts.clear(key); // unwatched: forget its silence
    }
    for (const pin of watched) {
      const pubkey = pin.key.toLowerCase();
      const key = `${KEY_PREFIX}${pubkey}`;
      try {
        const liveness = await pages.liveness(pubkey, now);
        const announcedAt = alerts.raisedAt(key);
        const name = async () => pin.label ?? (await pages.dvm(pubkey, now, 1))?.summary.name;
        if (liveness.status === 'silent' && announcedAt === undefined) {
          alerts.raise(key, now);
          const shown = await name();
          this.options.notify({
            topic: 'nostr.alert',
            payload: { pubkey, ...(shown ? { name: shown } : {}), message: `${shown ?? pubkey.slice(0, 12)} has not answered a job addressed to it for ${durationText(now - (liveness.unansweredSince ?? now))}` },
          });
        } else if (liveness.status === 'silent' && this.firstCheck) {
          log.log('info', `${(await name()) ?? pubkey.slice(0, 12)} is still silent; its silence was announced at ${isoTime(announcedAt!)} and is not announced again`);
        } else if (liveness.status === 'up' && announcedAt !== undefined) {
          alerts.clear(key);
        }
      } catch (error) {
        log.log('warn', `liveness check of ${pubkey} failed: ${describeError(error)}`);
      }
    }
    this.firstCheck = false;
  }
}

function durationText(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
