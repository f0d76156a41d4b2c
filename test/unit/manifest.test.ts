import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/commands/commandIds';
import { DEFAULT_SETTINGS, SETTING_KEYS } from '../../src/core/config/settings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));

test('every command id in code is contributed in package.json, and the other way round', () => {
  const contributed = manifest.contributes.commands.map((command: { command: string }) => command.command).sort();
  assert.deepEqual(contributed, Object.values(COMMANDS).sort());
});

test('every setting the engine reads is contributed with a description and the same default', () => {
  const properties = manifest.contributes.configuration.properties;
  for (const [field, key] of Object.entries(SETTING_KEYS)) {
    assert.ok(properties[key], `${key} is contributed`);
    assert.ok(properties[key].markdownDescription || properties[key].description, `${key} has a description`);
    const engineDefault = DEFAULT_SETTINGS[field as keyof typeof DEFAULT_SETTINGS];
    assert.deepEqual(properties[key].default, engineDefault ?? '', `${key} default matches the engine's`);
  }
});

test('each view has a welcome text for its empty state', () => {
  const views = manifest.contributes.views.swarmscope.map((view: { id: string }) => view.id);
  const welcomed = new Set(manifest.contributes.viewsWelcome.map((welcome: { view: string }) => welcome.view));
  for (const id of views) assert.ok(welcomed.has(id), `${id} has a viewsWelcome entry`);
  assert.deepEqual(views.slice(0, 4), ['swarmscope.dvms', 'swarmscope.kinds', 'swarmscope.watched', 'swarmscope.subnets']);
});

test('the engine targets VS Code 1.100 and the types are pinned to it', () => {
  assert.equal(manifest.engines.vscode, '^1.100.0');
  assert.equal(manifest.devDependencies['@types/vscode'], '1.100.0');
});
