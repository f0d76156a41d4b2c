import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real `swarmscope` CLI (src/cli.ts through tsx) as its own process, as a user's shell would: the exit
 * code and both streams come back whole, whatever the code is.
 */
export function runCli(args: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
  const cli = path.join(REPO_ROOT, 'src', 'cli.ts');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: REPO_ROOT, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      if (typeof code !== 'number') reject(error ?? new Error(`swarmscope ${args.join(' ')} ended without an exit code`));
      else resolve({ code, stdout, stderr });
    });
  });
}
