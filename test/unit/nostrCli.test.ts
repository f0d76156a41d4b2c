import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Actor, fixtureEvents } from '../fixtures/nostr/eventBuilders';
import { runCliInProcess } from '../support/cliRun';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  const { code, stdout } = await runCliInProcess(argv);
  return { code, out: stdout };
}

describe('swarmscope CLI: nostr commands', () => {
  let dir: string;
  let db: string;
  const events = fixtureEvents();

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-nostr-cli-'));
    db = path.join(dir, 'test.db');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ingest FILE --json prints accepted / duplicates / rejected by reason', async () => {
    const file = path.join(dir, 'events.json');
    const forged = { ...events[0], content: 'changed' };
    fs.writeFileSync(file, JSON.stringify([...events, events[1], forged, new Actor().sign(1, [], 'note')]));
    const { code, out } = await run(['ingest', file, '--db', db, '--json']);
    assert.equal(code, 0);
    const result = JSON.parse(out) as { rejectDetails: Record<string, string[]> };
    assert.deepEqual({ ...result, rejectDetails: Object.keys(result.rejectDetails).sort() },
      { accepted: events.length, duplicates: 1, rejected: { 'bad-id': 1, 'not-dvm-kind': 1 }, rejectDetails: ['bad-id', 'not-dvm-kind'] });
    assert.ok(fs.existsSync(db), 'the database was flushed to disk');
  });

  it('ingest reads JSON lines, counting a broken line as malformed; re-import is all duplicates', async () => {
    const file = path.join(dir, 'events.jsonl');
    fs.writeFileSync(file, [...events.map((event) => JSON.stringify(event)), '{not json'].join('\n'));
    const { code, out } = await run(['ingest', file, '--db', db, '--json']);
    assert.equal(code, 0);
    const result = JSON.parse(out) as { rejectDetails: Record<string, string[]> };
    assert.deepEqual({ ...result, rejectDetails: Object.keys(result.rejectDetails) }, { accepted: 0, duplicates: events.length, rejected: { malformed: 1 }, rejectDetails: ['malformed'] });
  });

  it('metrics --json has the all-time cards and the four windows', async () => {
    const { code, out } = await run(['metrics', '--db', db, '--json']);
    assert.equal(code, 0);
    const metrics = JSON.parse(out) as Record<string, unknown> & { windows: Record<string, { requests: number }> };
    for (const field of ['requests', 'results', 'feedback', 'requestKinds', 'resultKinds', 'dvms', 'profiles', 'users', 'encryptedRequests',
      'mostPopularDvm', 'mostPopularKind', 'satsRequested', 'satsEarned']) assert.ok(field in metrics, field);
    assert.equal(metrics.requests, events.filter((e) => e.kind >= 5000 && e.kind <= 5999).length);
    assert.equal(metrics.results, events.filter((e) => e.kind >= 6000 && e.kind <= 6999).length);
    assert.equal(metrics.feedback, events.filter((e) => e.kind === 7000).length);
    assert.deepEqual(Object.keys(metrics.windows), ['1h', '24h', '7d', '30d']);
  });

  it('dvms, kinds and trace print tables; trace of an unknown id fails clearly', async () => {
    const kinds = await run(['kinds', '--db', db]);
    assert.equal(kinds.code, 0);
    assert.match(kinds.out, /5050\s+text generation/);
    const dvms = await run(['dvms', '--db', db, '--limit', '3', '--json']);
    assert.equal((JSON.parse(dvms.out) as unknown[]).length, 3);
    const request = events.find((e) => e.id.startsWith('a53c9389'));
    const trace = await run(['trace', request?.id ?? '', '--db', db]);
    assert.equal(trace.code, 0);
    assert.match(trace.out, /processing/);
    assert.match(trace.out, /result/);
    const missing = await run(['trace', 'f'.repeat(64), '--db', db]);
    assert.equal(missing.code, 1);
  });
});
