import type * as vscode from 'vscode';
import type { Logger } from './core/util/logger';

/** Routes engine and host log lines to the one "Swarmscope" LogOutputChannel. */
export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  return {
    log(level, message) {
      channel[level](message);
    },
  };
}
