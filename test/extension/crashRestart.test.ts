import * as assert from 'node:assert/strict';
import { swarmscopeApi, waitFor, within } from './swarmscopeApi';

/** A worker crash is reported and the worker restarted (issue 2, item 3), not silently lost. */
export function defineCrashRestartSuite(): void {
  suite('engine crash and restart', () => {
    test('after engine.debugCrash the worker restarts and answers again', async () => {
      const api = await swarmscopeApi();
      await within('whenEngineReady()', api.whenEngineReady());
      const restartsBefore = api.engineRestarts();

      // The crash kills the worker before it answers, so the request itself must fail.
      await assert.rejects(within('engine.debugCrash', api.request('engine.debugCrash', {})));

      await waitFor('engineRestarts() to increase', () => (api.engineRestarts() > restartsBefore ? true : undefined));
      assert.equal(api.engineRestarts(), restartsBefore + 1);
      const ready = await within('whenEngineReady() after the crash', api.whenEngineReady(), 30_000);
      assert.equal(ready.state, 'ready');
      const status = await within('engine.status after the restart', api.request('engine.status', {}));
      assert.equal(status.state, 'ready');
      assert.equal(api.engineState(), 'ready');
    });
  });
}
