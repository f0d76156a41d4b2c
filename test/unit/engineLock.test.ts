import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { acquireEngineLock, liveEngineOwner, lockPathFor, processStartTime, readEngineLock } from '../../src/engine/engineLock';
import type { EngineOwnerInfo } from '../../src/protocol/engineProtocol';
import { REPO_ROOT } from '../support/paths';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-lock-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function request(dbPath: string, label = 'test', logs: string[] = []) {
  return { dbPath, socketPath: `${dbPath}.sock`, label, log: { log: (level: string, message: string) => logs.push(`${level}: ${message}`) } };
}

function writeLock(dbPath: string, owner: Partial<EngineOwnerInfo>): void {
  const full: EngineOwnerInfo = { id: 'old', pid: process.pid, startedAt: 1, socketPath: `${dbPath}.sock`, label: 'old owner', ...owner };
  fs.writeFileSync(lockPathFor(dbPath), JSON.stringify(full));
}

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '']);
  assert.ok(result.pid);
  return result.pid;
}

test('the first engine takes the lock; a second is told who holds it; after release the lock is free again', () => {
  const dbPath = path.join(dir, 'first.db');
  const first = acquireEngineLock(request(dbPath, 'window A'));
  assert.ok(first.acquired);
  const second = acquireEngineLock(request(dbPath, 'window B'));
  assert.equal(second.acquired, false);
  assert.equal(!second.acquired && second.owner.label, 'window A');
  assert.equal(liveEngineOwner(dbPath)?.id, first.lock.owner.id);
  first.lock.release();
  assert.equal(readEngineLock(lockPathFor(dbPath)), 'missing');
  const third = acquireEngineLock(request(dbPath, 'window B'));
  assert.ok(third.acquired);
  third.lock.release();
});

test('a release never removes a lock that another engine holds', () => {
  const dbPath = path.join(dir, 'foreign.db');
  const first = acquireEngineLock(request(dbPath));
  assert.ok(first.acquired);
  fs.unlinkSync(lockPathFor(dbPath));
  const second = acquireEngineLock(request(dbPath, 'the next owner'));
  assert.ok(second.acquired);
  first.lock.release();
  const holder = readEngineLock(lockPathFor(dbPath));
  assert.ok(holder !== 'missing' && holder !== 'unreadable' && holder.label === 'the next owner');
  second.lock.release();
});

test('a lock whose process is gone is taken over, and the log names the old owner', () => {
  const dbPath = path.join(dir, 'dead.db');
  const pid = deadPid();
  writeLock(dbPath, { pid, label: 'swarmscope collect' });
  assert.equal(liveEngineOwner(dbPath), undefined);
  const logs: string[] = [];
  const attempt = acquireEngineLock(request(dbPath, 'window A', logs));
  assert.ok(attempt.acquired);
  assert.deepEqual(logs, [`warn: took over the lock of swarmscope collect (pid ${pid}), whose process is gone on ${dbPath}`]);
  attempt.lock.release();
});

test('a pid that now belongs to another process (a different start time) does not hold the lock', () => {
  assert.ok(processStartTime(process.pid), 'this Linux has /proc/<pid>/stat');
  const dbPath = path.join(dir, 'recycled.db');
  writeLock(dbPath, { pid: process.pid, processStart: '1' });
  assert.equal(liveEngineOwner(dbPath), undefined);
  const attempt = acquireEngineLock(request(dbPath));
  assert.ok(attempt.acquired);
  attempt.lock.release();
});

test('a lock file that is not a lock (corrupt, hand-edited) is taken over', () => {
  const dbPath = path.join(dir, 'corrupt.db');
  fs.writeFileSync(lockPathFor(dbPath), '{"pid": "not a number"');
  const logs: string[] = [];
  const attempt = acquireEngineLock(request(dbPath, 'window A', logs));
  assert.ok(attempt.acquired);
  assert.match(logs[0], /took over an unreadable lock/);
  attempt.lock.release();
});

test('of several processes racing for one stale lock, exactly one takes it', { timeout: 60_000 }, async () => {
  const dbPath = path.join(dir, 'race.db');
  writeLock(dbPath, { pid: deadPid() });
  const go = path.join(dir, 'race.go');
  // Each contender waits for the same go file, then takes the lock (or not) and holds it until its stdin closes.
  const script = `
    const fs = require('node:fs');
    const { acquireEngineLock } = require(${JSON.stringify(path.join(REPO_ROOT, 'src/engine/engineLock.ts'))});
    process.stdout.write('waiting\\n');
    while (!fs.existsSync(${JSON.stringify(go)})) {}
    const attempt = acquireEngineLock({ dbPath: ${JSON.stringify(dbPath)}, socketPath: 'x', label: 'contender ' + process.pid, log: { log() {} } });
    process.stdout.write(String(attempt.acquired) + '\\n');
    process.stdin.on('end', () => process.exit(0)).resume();`;
  const contenders = Array.from({ length: 4 }, () => spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] }));
  const lines = (child: (typeof contenders)[number]) => {
    const seen: string[] = [];
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const parts = text.split('\n');
      text = parts.pop()!;
      seen.push(...parts);
    });
    return seen;
  };
  const outputs = contenders.map(lines);
  const waitFor = async (predicate: () => boolean) => {
    while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  try {
    await waitFor(() => outputs.every((seen) => seen.includes('waiting')));
    fs.writeFileSync(go, '');
    await waitFor(() => outputs.every((seen) => seen.length === 2));
    const winners = outputs.filter((seen) => seen[1] === 'true').length;
    assert.equal(winners, 1, `exactly one contender holds the lock: ${JSON.stringify(outputs)}`);
    const holder = readEngineLock(lockPathFor(dbPath));
    assert.ok(holder !== 'missing' && holder !== 'unreadable' && holder.label.startsWith('contender '));
  } finally {
    for (const child of contenders) child.stdin!.end();
  }
});
