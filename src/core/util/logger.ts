import { format } from 'node:util';
import type { LogLevel } from './logLevel';

/** Where engine code logs; the worker forwards lines to the host's LogOutputChannel, the CLI to stderr. */
export interface Logger {
  log(level: LogLevel, message: string): void;
}

export const silentLogger: Logger = { log: () => undefined };

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/**
 * Runs `body` with whatever it writes to the console handed to `sink` (one formatted text per call) instead of
 * stdout/stderr, then puts the console back. For libraries that print on their own, whatever our log level
 * (nostr-tools writes raw relay frames and stack traces with console.warn). `body` must be synchronous, so that
 * only its own output is caught.
 */
export function routeConsole<T>(sink: (text: string) => void, body: () => T): T {
  const saved = CONSOLE_METHODS.map((method) => console[method]);
  for (const method of CONSOLE_METHODS) console[method] = (...args: unknown[]) => sink(format(...args));
  try {
    return body();
  } finally {
    CONSOLE_METHODS.forEach((method, i) => {
      console[method] = saved[i];
    });
  }
}
