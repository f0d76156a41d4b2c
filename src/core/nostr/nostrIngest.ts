import type { ChangeSet } from './jobAssembler';
import type { RejectReason } from './rejections';

export type { RejectReason };

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Record<string, number>;
  /** The first few details per reason (rejections.ts), e.g. "event …: kind is not an integer 0–65535". */
  rejectDetails: Record<string, string[]>;
}

export interface IngestOutcome extends IngestResult {
  readonly changes: ChangeSet;
}
