import type * as vscode from 'vscode';
import type { EngineNotification } from '../protocol/engineProtocol';
import type { DvmTreeProvider } from '../views/dvmTreeProvider';
import type { EngineRequester } from '../views/engineRequester';
import type { HealthTreeProvider } from '../views/healthTreeProvider';
import type { SubnetTreeProvider } from '../views/subnetTreeProvider';
import type { WatchedTreeProvider } from '../views/watchedTreeProvider';

/** What commands may use; built once in services.ts and handed to each command's register function. */
export interface CommandContext {
  readonly engine: EngineRequester;
  readonly log: vscode.LogOutputChannel;
  readonly dvms: DvmTreeProvider;
  readonly subnets: SubnetTreeProvider;
  readonly watched: WatchedTreeProvider;
  readonly health: HealthTreeProvider;
  /** Every engine notification, for a command that follows its own work (import progress). */
  readonly notifications: vscode.Event<EngineNotification>;
  restartEngine(): Promise<void>;
  /** Re-reads pins and marks watched rows in every view. */
  reloadPins(): Promise<void>;
  reportError(error: unknown, action: string): void;
}
