import type { Storage } from '../core/store/storage';

/**
 * A write the user asked for on a team store this process may only read (Storage.readOnlyReason). Thrown before
 * anything is sent or written, so that the user reads what the role lacks instead of "permission denied" later in a
 * log.
 */
export class StoreReadOnlyError extends Error {
  override readonly name = 'StoreReadOnlyError';
}

/**
 * Refuses `what` (e.g. "importing events") when the store may only be read here, naming the cause. The one check at
 * every entry that writes: handlers call it first thing, never after part of the work is done.
 */
export function refuseIfReadOnly(storage: Pick<Storage, 'readOnlyReason'>, what: string): void {
  const reason = storage.readOnlyReason;
  if (reason !== undefined) throw new StoreReadOnlyError(`${what} writes to the team store, which may only be read here (${reason}): it needs a role that may write`);
}
