import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { dashboardPanel, DASHBOARD } from '../../src/panels/dashboardPanel';
import { weightsPanel } from '../../src/panels/weightsPanel';
import type { EngineRequester } from '../../src/views/engineRequester';

/** What the panel host needs from each kind of panel to restore it after a window reload. */

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { activationEvents: string[] };
/** Building a definition asks the engine nothing; this one would say so if it were asked. */
const engine: EngineRequester = { request: (method) => Promise.reject(new Error(`unexpected ${method}`)) };
const dashboard = dashboardPanel({ engine, openKind: () => undefined });
const weights = weightsPanel({ engine });
const definitions = [dashboard, weights];

test('every panel kind activates the extension when VS Code restores one (onWebviewPanel)', () => {
  for (const definition of definitions) {
    assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${definition.viewType}`), `${definition.viewType} is listed in activationEvents`);
    assert.ok(fs.existsSync(path.join(__dirname, '../../webview', definition.bundle, 'main.ts')), `webview/${definition.bundle}/main.ts exists`);
  }
  assert.equal(new Set(definitions.map((definition) => definition.viewType)).size, definitions.length);
});

test('a restored weights panel takes its netuid from the page state, and nothing else', () => {
  assert.equal(weights.parseSubject(23), 23);
  assert.equal(weights.parseSubject(0), 0);
  for (const bad of ['23', -1, 1.5, null, undefined, { netuid: 23 }, Number.NaN]) assert.equal(weights.parseSubject(bad), undefined, String(bad));
  assert.equal(weights.key(23), '23');
  assert.equal(weights.title(23), 'Weights · SN23');
});

test('there is one dashboard: any restored dashboard page is it', () => {
  assert.equal(dashboard.parseSubject(undefined), DASHBOARD);
  assert.equal(dashboard.parseSubject('anything'), DASHBOARD);
  assert.equal(dashboard.key(DASHBOARD), dashboard.key(dashboard.parseSubject(null)!));
});
