import * as vscode from 'vscode';

/** The composition root (placeholder until the host services land). */
export class Services implements vscode.Disposable {
  activationMs = 0;
  startEngine(): void {}
  async shutdown(): Promise<void> {}
  dispose(): void {}
}

export function createServices(_context: vscode.ExtensionContext): Services {
  return new Services();
}
