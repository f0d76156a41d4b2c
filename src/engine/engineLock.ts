import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import type { EngineOwnerInfo } from '../protocol/engineProtocol';

/**
 * One engine per database file. sql.js holds the whole database in memory and flushes it over the file, so two
 * engines on one file silently undo each other's writes (the last flush wins). The engine that opens a database
 * first holds `<db>.lock`; every other process is a client of that engine over its socket.
 *
 * The lock appears atomically and whole: its JSON is written to a private temporary file, which is then hard-linked
 * to `<db>.lock` (link fails with EEXIST if any lock is there, so exactly one contender wins and no one ever reads a
 * half-written lock). A lock whose process is gone (or whose pid now belongs to another process: the start time from
 * /proc differs) is stale and is taken over, and the log says so.
 */

export interface EngineLockRequest {
  readonly dbPath: string;
  readonly socketPath: string;
  /** Who will own the engine, for the other windows' status bars and the CLI's refusals. */
  readonly label: string;
  readonly log: Logger;
  /** The id the lock will carry (random when absent); whoever knows it may release the lock for a dead holder. */
  readonly id?: string;
}

export type LockAttempt =
  | { readonly acquired: true; readonly lock: EngineLock }
  | { readonly acquired: false; readonly owner: EngineOwnerInfo };

/** Contenders that keep colliding (a lock appearing and vanishing under them) give up after this many rounds. */
const MAX_ROUNDS = 20;

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

export class EngineLock {
  private released = false;

  constructor(readonly path: string, readonly owner: EngineOwnerInfo) {}

  /** Removes the lock if it is still ours; a lock that another engine holds is never touched. */
  release(): void {
    if (this.released) return;
    this.released = true;
    releaseEngineLock(this.path, this.owner.id);
  }
}

/**
 * Errors that mean no lock can be made beside the database: its folder is read-only. Then no engine can write the
 * database either (a flush renames a new file into that folder), so there is no writer to keep out.
 */
export function isReadOnlyFolderError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' || code === 'EROFS';
}

/** Takes the database's lock, or names the live engine that holds it. */
export function acquireEngineLock(request: EngineLockRequest): LockAttempt {
  const lockPath = lockPathFor(request.dbPath);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const owner: EngineOwnerInfo = {
    id: request.id ?? randomBytes(12).toString('hex'),
    pid: process.pid,
    processStart: processStartTime(process.pid),
    startedAt: Date.now(),
    socketPath: request.socketPath,
    label: request.label,
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (createLockFile(lockPath, owner)) return { acquired: true, lock: new EngineLock(lockPath, owner) };
    const holder = readEngineLock(lockPath);
    if (holder === 'missing') continue; // released between our link and our read: try again
    if (holder !== 'unreadable' && isProcessAlive(holder.pid, holder.processStart)) return { acquired: false, owner: holder };
    if (removeStaleLock(lockPath, holder)) {
      const who = holder === 'unreadable' ? 'an unreadable lock' : `the lock of ${holder.label} (pid ${holder.pid}), whose process is gone`;
      request.log.log('warn', `took over ${who} on ${request.dbPath}`);
    }
  }
  throw new Error(`could not take the lock ${lockPath}: it kept changing under us (${MAX_ROUNDS} tries)`);
}

/** The live engine that holds the database's lock, if any (a cheap look before starting an engine of one's own). */
export function liveEngineOwner(dbPath: string): EngineOwnerInfo | undefined {
  const holder = readEngineLock(lockPathFor(dbPath));
  if (holder === 'missing' || holder === 'unreadable') return undefined;
  return isProcessAlive(holder.pid, holder.processStart) ? holder : undefined;
}

/** Removes the lock at `lockPath` only if it is the one with this id (the owner's own release, or its host's). */
export function releaseEngineLock(lockPath: string, id: string): void {
  const holder = readEngineLock(lockPath);
  if (holder === 'missing' || holder === 'unreadable' || holder.id !== id) return;
  try {
    fs.unlinkSync(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The lock's owner; 'unreadable' for a file that is not a lock we wrote (corrupt, or hand-edited). */
export function readEngineLock(lockPath: string): EngineOwnerInfo | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = fs.readFileSync(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    // A lock we may not read is not ours to judge stale.
    throw new Error(`could not read the lock ${lockPath}: ${describeError(error)}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<EngineOwnerInfo>;
    const valid = typeof parsed.id === 'string' && Number.isSafeInteger(parsed.pid) && typeof parsed.socketPath === 'string' &&
      typeof parsed.label === 'string' && typeof parsed.startedAt === 'number' &&
      (parsed.processStart === undefined || typeof parsed.processStart === 'string');
    return valid ? (parsed as EngineOwnerInfo) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Writes the lock whole to a private file, then links it into place: true if we now hold the lock. */
function createLockFile(lockPath: string, owner: EngineOwnerInfo): boolean {
  const temp = `${lockPath}.${owner.id}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(owner)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/**
 * Moves a stale lock aside. Rename is atomic, so of several contenders that judged the same lock stale only one
 * moves it; the others find nothing (or a fresh lock) and go round again. A contender that was slower than the
 * winner's rename-and-link could move the winner's fresh lock instead: it checks what it moved and puts a live lock
 * back at once. True if we removed the stale lock.
 */
function removeStaleLock(lockPath: string, stale: EngineOwnerInfo | 'unreadable'): boolean {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const moved = readEngineLock(aside);
  const sameLock = stale === 'unreadable' ? moved === 'unreadable' : moved !== 'missing' && moved !== 'unreadable' && moved.id === stale.id;
  if (!sameLock && moved !== 'missing' && moved !== 'unreadable' && isProcessAlive(moved.pid, moved.processStart)) {
    try {
      fs.linkSync(aside, lockPath);
    } catch {
      // Someone took the free lock in the instant it was away; the engine whose lock we moved keeps running as
      // owner until its next release, which never removes a lock that is not its own.
    }
  }
  fs.rmSync(aside, { force: true });
  return sameLock;
}

/**
 * A process is alive if signal 0 reaches it, it is not a zombie, and (where /proc tells) it started when the lock
 * says: a recycled pid belongs to another process. EPERM means alive but another user's.
 */
export function isProcessAlive(pid: number, processStart: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProcStat(pid);
  if (!stat) return true;
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return processStart === undefined || stat.startTime === processStart;
}

/** Field 22 of /proc/<pid>/stat (clock ticks after boot); undefined where there is no /proc. */
export function processStartTime(pid: number): string | undefined {
  return readProcStat(pid)?.startTime;
}

function readProcStat(pid: number): { state: string; startTime: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state && startTime ? { state, startTime } : undefined;
}
