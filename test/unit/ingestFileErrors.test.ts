import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { findJsonSyntaxError } from '../../src/core/util/jsonSyntaxError';
import { fixtureEvents } from '../fixtures/nostr/eventBuilders';
import { runCliInProcess } from '../support/cliRun';

/** `swarmscope ingest FILE` with a file that is not JSON names the file, line and column; rejections say why. */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-ingest-file-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('ingest FILE that is not valid JSON', () => {
  it('a JSON array with a syntax error is refused with the file, line and column, and nothing is imported', async () => {
    const events = fixtureEvents().slice(0, 2);
    // Line 3 is `{"kind": x}`: V8's own message for this names no position at all.
    const file = write('broken.json', `[\n${JSON.stringify(events[0])},\n  {"kind": x},\n${JSON.stringify(events[1])}\n]\n`);
    const db = path.join(dir, 'broken.db');
    const run = await runCliInProcess(['ingest', file, '--db', db]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.includes(`${file}:3:12: expected a value, found "x"`), run.stderr);
    assert.match(run.stderr, /nothing was imported/);
    assert.equal(fs.existsSync(db), false, 'the database was not even opened');
  });

  it('a string left open where the file ends is named where it starts', async () => {
    const file = write('cut.json', `[${JSON.stringify(fixtureEvents()[0])},\n{"id": "ab`);
    const run = await runCliInProcess(['ingest', file, '--db', ':memory:']);
    assert.equal(run.code, 2);
    assert.ok(run.stderr.includes(`${file}:2:8: a string is not closed`), run.stderr);
  });

  it('JSON lines: each line that is not JSON is named by line and column and counted as malformed; the rest is imported', async () => {
    const [first, second] = fixtureEvents();
    const file = write('mixed.jsonl', [JSON.stringify(first), '{"id": 1,}', '', 'not json', JSON.stringify(second)].join('\n'));
    const run = await runCliInProcess(['ingest', file, '--db', ':memory:', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stderr.includes(`${file}:2:10: expected a quoted key, found "}"`), run.stderr);
    assert.ok(run.stderr.includes(`${file}:4:1: expected a value, found "n"`), run.stderr);
    const result = JSON.parse(run.stdout) as { accepted: number; rejected: Record<string, number> };
    assert.equal(result.accepted, 2);
    assert.deepEqual(result.rejected, { malformed: 2 });
  });
});

describe('ingest --json', () => {
  it('prints the reasons with their first details', async () => {
    const [event] = fixtureEvents();
    const forged = JSON.parse(JSON.stringify({ ...event, content: 'changed' })) as unknown;
    const file = write('rejected.json', JSON.stringify([forged, { ...event, kind: 'five thousand' }]));
    const run = await runCliInProcess(['ingest', file, '--db', ':memory:', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { rejected: Record<string, number>; rejectDetails: Record<string, string[]> };
    assert.deepEqual(result.rejected, { 'bad-id': 1, malformed: 1 });
    assert.deepEqual(Object.keys(result.rejectDetails).sort(), ['bad-id', 'malformed']);
    assert.match(result.rejectDetails.malformed[0], /kind/);
  });
});

describe('finding where a text stops being JSON', () => {
  it('agrees with JSON.parse on every text, and names a place inside it', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '\n', '\\', '{', '[', '0', '-', '\u0001'), (value, at, inserted) => {
      const valid = JSON.stringify(value, null, at % 3);
      const offset = at % (valid.length + 1);
      const text = valid.slice(0, offset) + inserted + valid.slice(offset);
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      const fault = findJsonSyntaxError(text);
      assert.equal(fault === undefined, parses, `${JSON.stringify(text)}: JSON.parse ${parses ? 'accepts' : 'refuses'} it, the finder says ${JSON.stringify(fault)}`);
      if (fault) {
        const lines = text.split('\n');
        assert.ok(fault.line >= 1 && fault.line <= lines.length && fault.column >= 1 && fault.column <= lines[fault.line - 1].length + 1, JSON.stringify(fault));
      }
    }), { numRuns: 2_000 });
  });
});
