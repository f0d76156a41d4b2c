import type { RetentionWindows } from './rollupPeriods';

export type { RetentionWindows };

export interface RetentionReport {
  readonly rawEvents: number;
  readonly jobs: number;
  readonly rollups: number;
}
