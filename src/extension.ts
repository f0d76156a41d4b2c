import type * as vscode from 'vscode';
import { createServices, type Services } from './services';

/**
 * Activation stays cheap: services are constructed synchronously and the engine worker (with sql.js and
 * @polkadot/api) is spawned after activation returns, so nothing heavy sits on VS Code's activation path.
 */
let services: Services | undefined;

export function activate(context: vscode.ExtensionContext): Services {
  const started = performance.now();
  services = createServices(context);
  context.subscriptions.push(services);
  services.activationMs = performance.now() - started;
  setImmediate(() => services?.startEngine());
  return services;
}

export async function deactivate(): Promise<void> {
  await services?.shutdown();
  services = undefined;
}
