import { Backoff } from '../util/backoff';
import { describeError } from '../util/errors';
import { runHistoryPass, type HistoryPassOptions, type HistoryPassOutcome } from './relayHistoryPass';

/** Where one relay's history backfill is: running a pass, waiting to retry one, or ended. */
export type HistoryRunnerState = 'running' | 'retrying' | HistoryPassOutcome;

export interface HistoryRunnerOptions extends Omit<HistoryPassOptions, 'cancelled'> {
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  /** The state or the last error changed. */
  readonly onChange: () => void;
}

/**
 * One relay's history backfill until it is done, cancelled or stopped by the size budget. A pass that fails (the
 * relay refused, sent no EOSE, dropped the connection) is reported and tried again after a bounded backoff, from the
 * progress its stored pages left: nothing stored is lost, and only the failed page is asked again (its repeats are
 * duplicates to the ingest).
 */
export class RelayHistoryRunner {
  private current: HistoryRunnerState = 'running';
  private stopRequested = false;
  private restartRequested = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private closeConnection: (() => void) | undefined;
  private failures = 0;
  private error: string | undefined;
  readonly finished: Promise<HistoryRunnerState>;

  constructor(private readonly options: HistoryRunnerOptions) {
    this.finished = this.run();
  }

  get state(): HistoryRunnerState {
    return this.current;
  }

  get lastError(): string | undefined {
    return this.error;
  }

  get errors(): number {
    return this.failures;
  }

  /** Stops between pages (or at once while waiting to retry); `finished` settles as 'cancelled' unless it ended first. */
  cancel(): void {
    this.stopRequested = true;
    clearTimeout(this.retryTimer);
    this.wake?.();
    // A page in flight ends now (its events are asked again on resume), not when the relay's EOSE or our timeout comes.
    this.closeConnection?.();
  }

  /**
   * Ends the pass in flight (its page is dropped) and starts a new one from the stored progress as it is now: the
   * run's row was planned anew (another history window), and the old pass would go on writing the row it read.
   */
  restart(): void {
    if (this.stopRequested) return;
    this.restartRequested = true;
    clearTimeout(this.retryTimer);
    this.wake?.();
    this.closeConnection?.();
  }

  private async run(): Promise<HistoryRunnerState> {
    const backoff = new Backoff(this.options.backoffBaseMs, this.options.backoffCapMs);
    const { url, log } = this.options;
    for (;;) {
      if (this.stopRequested) return this.end('cancelled');
      this.restartRequested = false;
      this.setState('running');
      try {
        const outcome = await runHistoryPass({
          ...this.options,
          cancelled: () => this.stopRequested || this.restartRequested,
          onConnected: (close) => {
            this.closeConnection = close;
            if (this.stopRequested || this.restartRequested) close();
          },
        });
        if (outcome === 'cancelled' && this.restartRequested && !this.stopRequested) continue;
        return this.end(outcome);
      } catch (error) {
        if (this.stopRequested) return this.end('cancelled');
        if (this.restartRequested) continue;
        this.failures++;
        this.error = describeError(error);
        const delay = backoff.next();
        log.log('warn', `relay ${url} (history backfill): ${this.error}; retrying in ${(delay / 1000).toFixed(1)} s from where it stopped`);
        this.setState('retrying');
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.retryTimer = setTimeout(resolve, delay);
        });
        this.wake = undefined;
      }
    }
  }

  private end(outcome: HistoryPassOutcome): HistoryPassOutcome {
    this.setState(outcome);
    return outcome;
  }

  private setState(state: HistoryRunnerState): void {
    this.current = state;
    this.options.onChange();
  }
}
