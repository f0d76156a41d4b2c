import * as vscode from 'vscode';
import type { SwarmscopeApi } from '../../src/api';

/** Helpers shared by the in-VS Code suites: they observe the real extension only through its public API. */

export const EXTENSION_ID = 'swarmscope.swarmscope';

export function swarmscopeExtension(): vscode.Extension<SwarmscopeApi> {
  const extension = vscode.extensions.getExtension<SwarmscopeApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed in this VS Code`);
  return extension;
}

/** Activates the extension (a no-op when onStartupFinished already did) and returns its API. */
export async function swarmscopeApi(): Promise<SwarmscopeApi> {
  return swarmscopeExtension().activate();
}

/** Polls `probe` until it returns a value other than undefined; fails after `timeoutMs` naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}

/** Rejects after `timeoutMs` so that a promise that never settles fails the test instead of hanging the run. */
export function within<T>(what: string, promise: Promise<T>, timeoutMs = 15_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
