import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, isWebSocketUrl, SETTING_KEYS, WEBSOCKET_URL_PATTERN } from '../../src/core/config/settings';

/**
 * The settings editor flags a bad URL as it is typed (package.json `pattern`); the engine refuses the same values.
 * Both must agree, or the editor would accept what the engine then refuses (or the other way round).
 */

const properties = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).contributes.configuration.properties;

const SAMPLES = [
  'wss://entrypoint-finney.opentensor.ai:443', 'ws://127.0.0.1:9944', 'WSS://Relay.Example', 'wss://relay.example/path?x=1',
  'wss://user@host.example:443/', 'ws://[::1]:9944',
  'http://my-node.example:9944', 'https://archive.example', 'finney', 'entrypoint-finney.opentensor.ai:443', 'wss://',
  'wss:///path', 'ws:// spaced.example', ' wss://leading.space', 'wss://trailing.space ', 'wsss://x', 'ws:/one-slash.example',
];

function schemaPattern(schema: { pattern?: string; patternErrorMessage?: string }): RegExp {
  assert.ok(schema.pattern, 'has a pattern');
  assert.ok(schema.patternErrorMessage, 'says what is wrong when it does not match');
  // VS Code compiles setting patterns with the `u` flag.
  return new RegExp(schema.pattern, 'u');
}

test('the endpoint and relay settings have the engine\'s own URL pattern', () => {
  const endpoint = schemaPattern(properties[SETTING_KEYS.subtensorEndpoint]);
  const relay = schemaPattern(properties[SETTING_KEYS.relays].items);
  assert.equal(endpoint.source, new RegExp(WEBSOCKET_URL_PATTERN, 'u').source);
  assert.equal(relay.source, endpoint.source);
  // The engine also parses the URL, so the editor misses a rare few (wss://:443); these samples are all decided by the shape.
  for (const sample of SAMPLES) {
    assert.equal(endpoint.test(sample), isWebSocketUrl(sample), `endpoint ${JSON.stringify(sample)}`);
    assert.equal(relay.test(sample), isWebSocketUrl(sample), `relay ${JSON.stringify(sample)}`);
  }
  assert.ok(endpoint.test(DEFAULT_SETTINGS.subtensorEndpoint ?? ''));
  for (const url of DEFAULT_SETTINGS.relays) assert.ok(relay.test(url), url);
});

test('the archive endpoint pattern also accepts empty (no archive node)', () => {
  const archive = schemaPattern(properties[SETTING_KEYS.archiveEndpoint]);
  assert.ok(archive.test(''));
  for (const sample of SAMPLES) {
    assert.equal(archive.test(sample), isWebSocketUrl(sample), `archive ${JSON.stringify(sample)}`);
  }
});
