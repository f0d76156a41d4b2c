import type { DvmRecentEvent } from './pageTypes';
import { idHex } from './hexIds';
import { msatsToSats, parseAmountTag } from './payments';

export const RECENT_EVENTS = 100;

/** A raw answer as the list reads it: id, kind, created_at, job_id, tags JSON. */
export type RecentEventRow = [id: Uint8Array, kind: number, createdAt: number, jobId: Uint8Array, tagsJson: string];

export function recentEventOf([id, kind, createdAt, jobId, tagsJson]: RecentEventRow): DvmRecentEvent {
  const tags = JSON.parse(tagsJson) as string[][];
  const tag = (name: string) => tags.find((candidate) => candidate[0] === name);
  const isResult = kind !== 7000;
  const status = isResult ? 'result-delivered' : tag('status')?.[1];
  const amountTag = tag('amount');
  const msats = amountTag ? parseAmountTag(amountTag).msats : undefined;
  return {
    id: idHex(id),
    kind,
    role: isResult ? 'result' : 'feedback',
    createdAt,
    requestId: idHex(jobId),
    ...(typeof status === 'string' ? { status } : {}),
    ...(msats !== undefined ? { amountSats: msatsToSats(msats) } : {}),
  };
}
