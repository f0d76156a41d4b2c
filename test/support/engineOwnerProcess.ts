import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { openEngine } from '../../src/engine/ownedEngine';
import type { EngineOwnerInfo } from '../../src/protocol/engineProtocol';
import { REPO_ROOT } from './paths';

/**
 * Another process that owns a database's engine, as a second VS Code window or a `swarmscope collect` would: run as
 * `node --import tsx test/support/engineOwnerProcess.ts DB LABEL`, it opens the engine (offline settings), prints one
 * JSON line `{"role", "pid", "owner"}` and keeps serving until it is killed. `startOwnerProcess` launches it and waits for that
 * line, so tests can kill a real owner with SIGKILL.
 */

export interface OwnerProcess {
  readonly role: 'owner' | 'client';
  readonly pid: number;
  /** Who owns the database: this process (role 'owner'), or the one it found. */
  readonly owner: EngineOwnerInfo;
  /** SIGKILL, as a crash or `kill -9` would end it; resolves once the process is gone. */
  kill(): Promise<void>;
}

export async function startOwnerProcess(dbPath: string, label: string): Promise<OwnerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'engineOwnerProcess.ts'), dbPath, label], {
    cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    child.once('exit', (code, signal) => reject(new Error(`the owner process ended (${code ?? signal}) before it said it was ready`)));
  });
  const { role, pid, owner } = JSON.parse(line) as Pick<OwnerProcess, 'role' | 'pid' | 'owner'>;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    role, pid, owner,
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}

async function main(): Promise<void> {
  const [dbPath, label] = process.argv.slice(2);
  const opened = await openEngine(
    { dbPath, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:9', trackedSubnets: [] }, collect: false, ownerLabel: label },
    { notify: () => undefined, log: { log: () => undefined } },
  );
  const owner = opened.role === 'owner' ? opened.engine.owner : opened.owner;
  process.stdout.write(`${JSON.stringify({ role: opened.role, pid: process.pid, owner })}\n`);
  setInterval(() => undefined, 60_000);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
