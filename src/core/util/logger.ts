import type { LogLevel } from '../../protocol/engineProtocol';

/** Where engine code logs; the worker forwards lines to the host's LogOutputChannel, the CLI to stderr. */
export interface Logger {
  log(level: LogLevel, message: string): void;
}

export const silentLogger: Logger = { log: () => undefined };
