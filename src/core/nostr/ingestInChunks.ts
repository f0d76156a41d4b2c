import type { IngestResult } from './eventTypes';

/** Events per `nostr.ingest` call: one transaction each, so memory stays flat on large files. */
export const INGEST_CHUNK = 5_000;

type IngestTotal = { -readonly [K in keyof IngestResult]: IngestResult[K] };

/** Imports `events` chunk by chunk (the CLI's `ingest`, the Import Events command) and adds the answers up. */
export async function ingestInChunks(
  events: readonly unknown[],
  ingest: (chunk: unknown[]) => Promise<IngestResult>,
  progress?: (done: number, total: number) => void,
): Promise<IngestResult> {
  const total: IngestTotal = { accepted: 0, duplicates: 0, rejected: {}, rejectDetails: {} };
  for (let start = 0; start < events.length; start += INGEST_CHUNK) {
    add(total, await ingest(events.slice(start, start + INGEST_CHUNK)));
    progress?.(Math.min(events.length, start + INGEST_CHUNK), events.length);
  }
  return total;
}

function add(total: IngestTotal, answer: IngestResult): void {
  total.accepted += answer.accepted;
  total.duplicates += answer.duplicates;
  for (const [reason, count] of Object.entries(answer.rejected)) total.rejected[reason] = (total.rejected[reason] ?? 0) + count;
  // The engine picks the first few details per reason; over several chunks the first chunk's stay.
  for (const [reason, details] of Object.entries(answer.rejectDetails)) total.rejectDetails[reason] ??= details;
}
