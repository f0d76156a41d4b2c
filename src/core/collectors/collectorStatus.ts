/** A collector's state as `engine.status` reports it to the views and the CLI. */
export interface CollectorStatus {
  readonly name: string;
  /** `degraded`: connected, but not delivering as it should (a relay sending bad frames or only NOTICEs); see `reason`. */
  readonly state: 'idle' | 'connecting' | 'connected' | 'degraded' | 'retrying' | 'error' | 'stopped';
  readonly detail?: string;
  readonly lastError?: string;
  /** Why the state is `degraded`. May quote a relay's words: untrusted text. */
  readonly reason?: string;
  /** When a connection last opened (unix ms); absent if it never did in this run. */
  readonly lastConnectedAt?: number;
}
