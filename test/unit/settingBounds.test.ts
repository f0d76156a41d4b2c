import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LIST_ITEM_BOUNDS, NUMBER_BOUNDS, SETTING_KEYS, STORAGE_URL_KEY, validateSettings, type RawSettings } from '../../src/core/config/settings';

/**
 * The settings editor marks a bad value as it is typed from package.json's `minimum` / `maximum` / `pattern`; the
 * engine refuses values with src/core/config/settings.ts. Both must agree for every number (and URL) a user sets,
 * or the editor would pass `-5` for a window that the engine then replaces with its default.
 */

interface Schema {
  type?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  default?: unknown;
  markdownDescription?: string;
  items?: Schema;
}

const properties = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).contributes.configuration.properties as Record<string, Schema>;

/** What VS Code's settings editor checks for a number: its type and range (JSON Schema). */
function schemaAccepts(schema: Schema, value: number): boolean {
  if (schema.type === 'integer' && !Number.isInteger(value)) return false;
  if (schema.minimum !== undefined && value < schema.minimum) return false;
  if (schema.maximum !== undefined && value > schema.maximum) return false;
  return true;
}

function samples(minimum: number, maximum: number): number[] {
  return [-5, minimum - 1, minimum - 0.5, minimum, minimum + 0.5, Math.floor((minimum + maximum) / 2), maximum - 0.5, maximum, maximum + 0.5, maximum + 1];
}

test('every numeric setting and numeric list item in package.json has a minimum and a maximum', () => {
  const numeric: string[] = [];
  for (const [key, schema] of Object.entries(properties)) {
    for (const [where, part] of [[key, schema], [`${key} items`, schema.items]] as const) {
      if (part?.type !== 'number' && part?.type !== 'integer') continue;
      numeric.push(where);
      assert.equal(typeof part.minimum, 'number', `${where} has a minimum`);
      assert.equal(typeof part.maximum, 'number', `${where} has a maximum`);
      assert.ok(part.minimum! <= part.maximum!, `${where}: minimum ≤ maximum`);
    }
  }
  assert.ok(numeric.length >= 6, `numeric settings found: ${numeric.join(', ')}`);
});

test('each number setting has the engine\'s own bounds, and the editor and the engine accept the same values', () => {
  for (const [field, bounds] of Object.entries(NUMBER_BOUNDS)) {
    const key = SETTING_KEYS[field as keyof typeof NUMBER_BOUNDS];
    const schema = properties[key];
    assert.ok(schema, `${key} is contributed`);
    assert.deepEqual([schema.minimum, schema.maximum, schema.type], [bounds.minimum, bounds.maximum, bounds.integer ? 'integer' : 'number'], key);
    for (const value of samples(bounds.minimum, bounds.maximum)) {
      const { errors } = validateSettings({ [field]: value } as RawSettings);
      assert.equal(errors.length === 0, schemaAccepts(schema, value), `${key} = ${value}: editor and engine agree`);
    }
    assert.ok(schemaAccepts(schema, schema.default as number), `${key}: its default is in range`);
  }
  // The case from issue 9: a window of -5 hours is marked by the editor and refused by the engine.
  assert.equal(schemaAccepts(properties[SETTING_KEYS.rawWindowHours], -5), false);
  assert.equal(validateSettings({ rawWindowHours: -5 }).settings.rawWindowHours, 48);
});

test('kinds and netuids in list settings have the engine\'s item bounds', () => {
  for (const [field, bounds] of Object.entries(LIST_ITEM_BOUNDS)) {
    const key = SETTING_KEYS[field as keyof typeof LIST_ITEM_BOUNDS];
    const items = properties[key].items!;
    assert.deepEqual([items.minimum, items.maximum, items.type], [bounds.minimum, bounds.maximum, 'integer'], key);
    for (const value of samples(bounds.minimum, bounds.maximum)) {
      const { errors } = validateSettings({ [field]: [value] } as RawSettings);
      assert.equal(errors.length === 0, schemaAccepts(items, value), `${key} item ${value}: editor and engine agree`);
    }
  }
});

test('every setting that holds a URL has a pattern', () => {
  // A URL setting is named as one (endpoint, relay, url) or shows one in its default or description.
  const urls = Object.entries(properties).filter(([key, schema]) => [schema, schema.items].some((part) => part?.type === 'string') &&
    (/endpoint|relay|url/i.test(key) || /:\/\//.test(`${JSON.stringify(schema.default)} ${schema.markdownDescription ?? ''}`)));
  assert.deepEqual(urls.map(([key]) => key).sort(), [SETTING_KEYS.archiveEndpoint, SETTING_KEYS.relays, SETTING_KEYS.subtensorEndpoint, STORAGE_URL_KEY].sort());
  for (const [key, schema] of urls) assert.ok(schema.pattern ?? schema.items?.pattern, `${key} has a pattern`);
});
