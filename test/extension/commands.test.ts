import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { swarmscopeApi, swarmscopeExtension } from './swarmscopeApi';

interface ContributedCommand {
  readonly command: string;
}

/** Every command package.json contributes is registered by activation (a missing one fails only when clicked). */
export function defineCommandsSuite(): void {
  suite('commands', () => {
    test('all contributed commands are registered', async () => {
      await swarmscopeApi();
      const contributed = (swarmscopeExtension().packageJSON.contributes?.commands ?? []) as ContributedCommand[];
      assert.ok(contributed.length > 0, 'package.json contributes commands');
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = contributed.map((entry) => entry.command).filter((id) => !registered.has(id));
      assert.deepEqual(missing, []);
    });
  });
}
