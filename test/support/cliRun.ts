import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli';
import { DIST, REPO_ROOT } from './paths';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real CLI entry (`main`) in-process and captures the text it writes to stdout and stderr. The CLI writes
 * strings; the test runner shares these streams with binary (Buffer) reports, which are passed through untouched.
 */
export async function runCliInProcess(argv: readonly string[]): Promise<CliRun> {
  const captured = { stdout: [] as string[], stderr: [] as string[] };
  const restore = (['stdout', 'stderr'] as const).map((name) => {
    const stream = process[name];
    const write = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      if (typeof chunk !== 'string') return write(chunk, ...rest);
      captured[name].push(chunk);
      return true;
    }) as typeof stream.write;
    return () => {
      stream.write = write;
    };
  });
  try {
    const code = await main(argv);
    return { code, stdout: captured.stdout.join(''), stderr: captured.stderr.join('') };
  } finally {
    for (const undo of restore) undo();
  }
}

/**
 * Runs the built CLI (dist/cli.js, as users run it) in a child process. `maxFileBytes` caps the size of any file it
 * writes (`prlimit --fsize`): writing past it fails with EFBIG, the way a full disk fails a write, for root too.
 */
export function runBuiltCli(argv: readonly string[], options: { maxFileBytes?: number; timeoutMs?: number } = {}): Promise<CliRun> {
  const cli = path.join(DIST, 'cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
  const [command, args] = options.maxFileBytes === undefined
    ? [process.execPath, [cli, ...argv]]
    : ['prlimit', [`--fsize=${options.maxFileBytes}`, process.execPath, cli, ...argv]];
  return runChild(command, args, { timeoutMs: options.timeoutMs });
}

/**
 * Runs the real `swarmscope` CLI (src/cli.ts through tsx) as its own process, as a user's shell would: the exit
 * code and both streams come back whole, whatever the code is. No build needed, unlike runBuiltCli.
 */
export function runCli(args: readonly string[], timeoutMs = 60_000): Promise<CliRun> {
  return runChild(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src', 'cli.ts'), ...args], { cwd: REPO_ROOT, timeoutMs });
}

/** A child's exit code and whole output; rejects only when it has no exit code (it could not start, or was killed). */
function runChild(command: string, args: readonly string[], options: { timeoutMs?: number; cwd?: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
  });
}
