import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { openEngine } from '../../src/engine/ownedEngine';
import { REPO_ROOT } from './paths';

/**
 * Another process that owns a database's engine, as a second VS Code window or a `swarmscope collect` would: run as
 * `node --import tsx test/support/engineOwnerProcess.ts DB LABEL`, it opens the engine (offline settings), prints one
 * JSON line `{"role", "pid"}` and keeps serving until it is killed. `startOwnerProcess` launches it and waits for that
 * line, so tests can kill a real owner with SIGKILL.
 */

export interface OwnerProcess {
  readonly child: ChildProcess;
  readonly role: 'owner' | 'client';
  readonly pid: number;
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
  const { role, pid } = JSON.parse(line) as { role: 'owner' | 'client'; pid: number };
  return { child, role, pid };
}

async function main(): Promise<void> {
  const [dbPath, label] = process.argv.slice(2);
  const opened = await openEngine(
    { dbPath, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:9', trackedSubnets: [] }, collect: false, ownerLabel: label },
    { notify: () => undefined, log: { log: () => undefined } },
  );
  process.stdout.write(`${JSON.stringify({ role: opened.role, pid: process.pid })}\n`);
  setInterval(() => undefined, 60_000);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
