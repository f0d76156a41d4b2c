import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXTENSION_ID, swarmscopeApi, swarmscopeExtension, within } from './swarmscopeApi';

/** Activation and the first engine start, seen from inside a real extension host. */
export function defineActivationSuite(): void {
  suite('activation', () => {
    test('the extension activates and reports how long activation took', async () => {
      const api = await swarmscopeApi();
      assert.equal(swarmscopeExtension().isActive, true);
      assert.equal(typeof api.activationMs, 'number');
      assert.ok(Number.isFinite(api.activationMs) && api.activationMs > 0, `activationMs is ${api.activationMs}`);
    });

    test('the engine becomes ready and answers engine.status', async () => {
      const api = await swarmscopeApi();
      const first = await within('whenEngineReady()', api.whenEngineReady());
      assert.equal(first.state, 'ready');
      assert.equal(api.engineState(), 'ready');
      const status = await within('engine.status', api.request('engine.status', {}));
      assert.equal(status.state, 'ready');
      assert.deepEqual(status.settingErrors, [], 'the test settings are valid');
    });

    test('the database lives in the extension\'s globalStorageUri', async () => {
      const api = await swarmscopeApi();
      await within('whenEngineReady()', api.whenEngineReady());
      const status = await within('engine.status', api.request('engine.status', {}));
      assert.ok(status.dbPath, 'the engine reports a database path');
      assert.ok(path.isAbsolute(status.dbPath));
      assertUnderGlobalStorage(status.dbPath);
      await within('engine.flush', api.request('engine.flush', {}));
      assert.ok(fs.statSync(status.dbPath).size > 0, 'a flush wrote the database file');
    });

    test('the status bar shows the engine', async () => {
      const api = await swarmscopeApi();
      await within('whenEngineReady()', api.whenEngineReady());
      assert.match(api.statusBar().text, /Swarmscope/);
    });
  });
}

/**
 * VS Code keeps an extension's global storage at <user data>/User/globalStorage/<extension id>. The launchers pass
 * the user-data folder they created; without it (another runner), the path's segments are checked instead.
 */
function assertUnderGlobalStorage(dbPath: string): void {
  const tail = path.join('User', 'globalStorage', EXTENSION_ID);
  const userData = process.env.SWARMSCOPE_TEST_USER_DATA_DIR;
  if (userData) {
    const storage = path.join(userData, tail);
    assert.ok(dbPath.startsWith(storage + path.sep), `${dbPath} is not under ${storage}`);
  } else {
    assert.ok(dbPath.includes(path.sep + tail + path.sep), `${dbPath} is not under a globalStorage/${EXTENSION_ID} folder`);
  }
}
