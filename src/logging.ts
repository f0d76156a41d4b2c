import type * as vscode from 'vscode';
import type { Logger } from './core/util/logger';
import { untrustedText } from './core/util/untrustedText';

/** A log line is longer than a label, but a relay's 100 kB NOTICE must not become a 100 kB line. */
const LOG_LINE_MAX = 4_000;

/** Routes engine and host log lines to the one "Swarmscope" LogOutputChannel. */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    log(level, message) {
      channel[level](message);
    },
  };
}

/**
 * The output channel every line goes through, each one sanitised on the way in: log lines quote relays, DVMs and
 * nodes (NOTICEs, names, error messages), and a line break or escape sequence there would forge log entries. Doing
 * it here, once, covers the engine's lines and the host's own alike.
 */
export function sanitizedLogChannel(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new SanitizedLogChannel(channel);
}

const line = (message: string) => untrustedText(message, LOG_LINE_MAX);
const lineOrError = (message: string | Error) => (typeof message === 'string' ? line(message) : new Error(line(message.message)));
/** Extra arguments are formatted into the line by VS Code: strings among them are network text as much as the message. */
const cleanArgs = (args: unknown[]) => args.map((arg) => (typeof arg === 'string' ? line(arg) : arg));

class SanitizedLogChannel implements vscode.LogOutputChannel {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  get name(): string {
    return this.channel.name;
  }

  get logLevel(): vscode.LogLevel {
    return this.channel.logLevel;
  }

  get onDidChangeLogLevel(): vscode.Event<vscode.LogLevel> {
    return this.channel.onDidChangeLogLevel;
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(line(message), ...cleanArgs(args));
  }

  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(line(message), ...cleanArgs(args));
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(line(message), ...cleanArgs(args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(line(message), ...cleanArgs(args));
  }

  error(error: string | Error, ...args: unknown[]): void {
    this.channel.error(lineOrError(error), ...cleanArgs(args));
  }

  append(value: string): void {
    this.channel.append(line(value));
  }

  appendLine(value: string): void {
    this.channel.appendLine(line(value));
  }

  replace(value: string): void {
    this.channel.replace(line(value));
  }

  clear(): void {
    this.channel.clear();
  }

  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(first?: boolean | vscode.ViewColumn, preserveFocus?: boolean): void {
    if (typeof first === 'boolean' || first === undefined) this.channel.show(first);
    else this.channel.show(first, preserveFocus);
  }

  hide(): void {
    this.channel.hide();
  }

  dispose(): void {
    this.channel.dispose();
  }
}
