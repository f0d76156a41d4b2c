import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/codeServer';

/**
 * The e2e tests run what is in dist/. `npm test` builds first, but a file run on its own (or after
 * `npm run package`, whose production build empties dist/ and leaves out dist/test) must not test a stale or
 * missing bundle: rebuild when an output is missing or older than any source.
 */

const SOURCE_DIRS = ['src', 'test/extension', 'webview'].map((dir) => path.join(REPO_ROOT, dir));
const SOURCE_FILES = ['package.json', 'esbuild.mjs'].map((file) => path.join(REPO_ROOT, file));

export function newestSourceMtime(): number {
  let newest = 0;
  const visit = (entry: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(entry);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(entry)) visit(path.join(entry, child));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const entry of [...SOURCE_DIRS, ...SOURCE_FILES]) visit(entry);
  return newest;
}

export function mtime(file: string): number | undefined {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** True when every output exists and is newer than every source. */
export function upToDate(outputs: readonly string[]): boolean {
  const sources = newestSourceMtime();
  return outputs.every((output) => (mtime(output) ?? 0) >= sources);
}

/** Runs an npm script or node command in the repository, failing with its output. */
export function runInRepo(command: string, args: readonly string[], timeoutMs = 300_000): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** The development build, which holds dist/test/extensionSuite.js beside dist/extension.js and dist/engine.js. */
export function ensureDevBuild(): void {
  const outputs = ['extension.js', 'engine.js', 'test/extensionSuite.js'].map((file) => path.join(REPO_ROOT, 'dist', file));
  if (!upToDate(outputs)) runInRepo(process.execPath, ['esbuild.mjs']);
}

/** dist/swarmscope.vsix from `npm run package`, rebuilt when missing or older than dist/extension.js or a source. */
export function ensureVsix(): string {
  const vsix = path.join(REPO_ROOT, 'dist', 'swarmscope.vsix');
  const extension = path.join(REPO_ROOT, 'dist', 'extension.js');
  const stamp = mtime(vsix);
  const stale = stamp === undefined || stamp < (mtime(extension) ?? Infinity) || stamp < newestSourceMtime();
  if (stale) runInRepo('npm', ['run', 'package']);
  if (!fs.existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
  return vsix;
}
