import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SwarmscopeApi } from '../../src/api';
import { swarmscopeApi, waitFor, within } from './swarmscopeApi';

/**
 * Bad setting values (issue 2, "Bars"): each gives a clear message naming its key, and the engine keeps answering.
 * Written to the workspace's settings, as a user would, and removed afterwards so later suites see good settings.
 */
export function defineSettingsSuite(): void {
  suite('bad settings', () => {
    const written: [section: string, key: string][] = [
      ['swarmscope.nostr', 'relays'],
      ['swarmscope.storage', 'rawWindowHours'],
    ];

    teardown(async () => {
      for (const [section, key] of written) {
        await vscode.workspace.getConfiguration(section).update(key, undefined, vscode.ConfigurationTarget.Workspace);
      }
      const api = await swarmscopeApi();
      await waitFor('setting errors to clear', () => (api.settingErrors().length === 0 ? true : undefined));
    });

    test('a relay that is not ws/wss and a negative window are named, and the engine keeps answering', async () => {
      assert.ok(vscode.workspace.workspaceFolders?.length, 'the suite needs an open folder for workspace settings');
      const api = await swarmscopeApi();
      await within('whenEngineReady()', api.whenEngineReady());
      assert.deepEqual(api.settingErrors(), [], 'no errors before the bad values');

      await vscode.workspace.getConfiguration('swarmscope.nostr').update('relays', ['http://nope'], vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.getConfiguration('swarmscope.storage').update('rawWindowHours', -1, vscode.ConfigurationTarget.Workspace);

      const keys = await waitFor('both keys in settingErrors()', () => {
        const named = new Set(api.settingErrors().map((error) => error.key));
        return named.has('swarmscope.nostr.relays') && named.has('swarmscope.storage.rawWindowHours') ? named : undefined;
      });
      assert.ok(keys.size >= 2);
      for (const error of api.settingErrors()) assert.ok(error.message.length > 0, `${error.key} has a message`);
      assert.match(messageFor(api, 'swarmscope.nostr.relays'), /http:\/\/nope/, 'the message quotes the bad value');

      const status = await within('engine.status after bad settings', api.request('engine.status', {}));
      assert.equal(status.state, 'ready');
      assert.equal(api.engineState(), 'ready');
    });
  });
}

function messageFor(api: SwarmscopeApi, key: string): string {
  return api.settingErrors().find((error) => error.key === key)?.message ?? '';
}
