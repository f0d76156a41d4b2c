import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npubEncode } from 'nostr-tools/nip19';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { PAGE_NOW, pageTraffic, type PageTraffic } from '../fixtures/nostr/pageTraffic';
import { runCliInProcess } from '../support/cliRun';
import { groupPairs, NostrOracle, oracleSeries, pairFigures } from '../support/nostrOracle';

const now = String(PAGE_NOW);
/** Clear-screen, a window title, a line break that would forge a row, a C1 CSI, a bidi override. */
const HOSTILE = 'Evil\u001b[2J\u001b]0;pwned\u0007\nforged row\u009b31m \u202eevil\u202c';
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069]/;
const HOSTILE_AT = 1_750_000_000;

/** A DVM whose name, kind name, relay, status and error message are all hostile text, with one job. */
async function hostileDatabase(dir: string): Promise<{ db: string; dvm: string; customer: string }> {
  const db = path.join(dir, 'hostile.db');
  const dvm = new Actor();
  const customer = new Actor();
  const request = customer.sign(5555, [['p', dvm.pubkey]], '', HOSTILE_AT);
  const events = [
    dvm.sign(31990, [['d', 'x'], ['k', '5555'], ['relays', `wss://relay.example/${HOSTILE}`]], JSON.stringify({ name: HOSTILE, about: HOSTILE, picture: HOSTILE }), HOSTILE_AT - 10),
    request,
    dvm.sign(7000, [['e', request.id], ['status', 'error', HOSTILE]], HOSTILE, HOSTILE_AT + 1),
    dvm.sign(7000, [['e', request.id], ['status', HOSTILE]], '', HOSTILE_AT + 2),
  ];
  const file = path.join(dir, 'hostile.json');
  fs.writeFileSync(file, JSON.stringify(events));
  const ingested = await runCliInProcess(['ingest', file, '--db', db]);
  assert.equal(ingested.code, 0, ingested.stderr);
  return { db, dvm: dvm.pubkey, customer: customer.pubkey };
}

async function json(argv: string[]): Promise<unknown> {
  const { code, stdout, stderr } = await runCliInProcess([...argv, '--json']);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as unknown;
}

/** The keys of an object, sorted: what a fixed JSON shape promises. */
const keys = (value: unknown) => Object.keys(value as object).sort();

describe('swarmscope dvm | kind | user | series | recent', () => {
  let dir: string;
  let db: string;
  let traffic: PageTraffic;
  let oracle: NostrOracle;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-pages-cli-'));
    db = path.join(dir, 'pages.db');
    traffic = pageTraffic();
    oracle = new NostrOracle().add(traffic.events);
    const file = path.join(dir, 'events.jsonl');
    fs.writeFileSync(file, traffic.events.map((event) => JSON.stringify(event)).join('\n'));
    const { code, stderr } = await runCliInProcess(['ingest', file, '--db', db]);
    assert.equal(code, 0, stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('dvm PUBKEY --json: {pubkey, name, liveness, kinds: [...], recent: [...]} with the figures of the events', async () => {
    const page = await json(['dvm', npubEncode(traffic.dvmA.pubkey), '--db', db, '--now', now]) as {
      pubkey: string; name: string | null; liveness: { status: string; waiting: number }; kinds: Record<string, unknown>[]; recent: { id: string }[];
    };
    for (const field of ['pubkey', 'name', 'liveness', 'kinds', 'recent']) assert.ok(field in page, field);
    assert.deepEqual([page.pubkey, page.name, page.liveness.status, page.liveness.waiting], [traffic.dvmA.pubkey, 'Echo <b>A</b>', 'up', 2]);
    const expected = pairFigures(oracle, oracle.pairList().filter((pair) => pair.dvm === traffic.dvmA.pubkey));
    const row = page.kinds.find((kind) => kind.kind === 5050);
    assert.ok(row);
    for (const field of ['jobs', 'results', 'errors', 'successRate', 'p50ResponseSec', 'p90ResponseSec', 'satsRequested', 'satsEarned', 'satsProven'] as const) {
      assert.equal(row[field], expected[field], field);
    }
    assert.equal(page.recent.length, 100);
    const missing = await runCliInProcess(['dvm', traffic.customers[0].pubkey, '--db', db, '--json']);
    assert.deepEqual([missing.code, missing.stdout], [1, '']);
    assert.match(missing.stderr, /no DVM/);
  });

  it('kind K --json: {kind, name, requests, results, users, dvms: [{pubkey, jobs, results, successRate, p50ResponseSec, satsRequested}]}', async () => {
    const page = await json(['kind', '6050', '--db', db, '--now', now]) as { kind: number; name: string; requests: number; results: number; users: number; dvms: Record<string, unknown>[] };
    assert.deepEqual([page.kind, page.name, page.requests, page.users], [5050, 'text generation', 43, 3]);
    assert.equal(page.results, oracle.kindResults.get(5050));
    const byDvm = groupPairs(oracle.pairList().filter((pair) => pair.kind === 5050), (pair) => pair.dvm);
    for (const dvm of page.dvms.filter((row) => (row.jobs as number) > 0)) {
      const expected = pairFigures(oracle, byDvm.get(dvm.pubkey as string) ?? []);
      assert.deepEqual(['jobs', 'results', 'successRate', 'p50ResponseSec', 'satsRequested'].map((field) => dvm[field]),
        [expected.jobs, expected.results, expected.successRate, expected.p50ResponseSec, expected.satsRequested]);
    }
    assert.equal(page.dvms.length, 3);
  });

  it('user PUBKEY --json: {pubkey, jobs: [...], dvms: [...]}', async () => {
    const customer = traffic.customers[1].pubkey;
    const page = await json(['user', customer, '--db', db]) as { pubkey: string; jobs: { requestId: string; status: string }[]; dvms: { pubkey: string; jobs: number }[] };
    const jobs = [...oracle.jobs.values()].filter((job) => job.customer === customer).sort((a, b) => b.createdAt - a.createdAt);
    assert.equal(page.pubkey, customer);
    assert.deepEqual(page.jobs.map((job) => [job.requestId, job.status]), jobs.map((job) => [job.id, oracle.jobStatus(job.id)]));
    assert.deepEqual(new Map(page.dvms.map((dvm) => [dvm.pubkey, dvm.jobs])),
      new Map([...groupPairs(oracle.pairList().filter((pair) => jobs.some((job) => job.id === pair.requestId)), (pair) => pair.dvm)].map(([dvm, pairs]) => [dvm, pairs.length])));
  });

  it('series --window 7d --bucket 1h --json: {bucketSec, points: [{t, requests, results, users, dvms, satsRequested, satsProven, errorRate, p50ResponseSec}]}', async () => {
    const series = await json(['series', '--window', '7d', '--bucket', '1h', '--db', db, '--now', now]) as { bucketSec: number; points: Record<string, unknown>[]; covers: { from: number } };
    assert.equal(series.bucketSec, 3600);
    for (const field of ['t', 'requests', 'results', 'users', 'dvms', 'satsRequested', 'satsProven', 'errorRate', 'p50ResponseSec']) assert.ok(field in series.points[0], field);
    const expected = oracleSeries(oracle, 3600, series.covers.from, PAGE_NOW);
    assert.deepEqual(series.points.map((point) => [point.t, point.requests, point.results, point.users, point.dvms, point.satsRequested, point.satsProven, point.errorRate, point.p50ResponseSec]),
      expected.map((point) => [point.t, point.requests, point.results, point.users, point.dvms, point.satsRequested, point.satsProven, point.errorRate, point.p50ResponseSec]));
    const refused = await runCliInProcess(['series', '--window', '5d', '--db', db]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--window must be one of 1h, 24h, 7d, 30d, 90d/);
  });

  it('recent --json: [{kind, name, jobs: [{requestId, createdAt, status}]}], at most 3 a kind, newest first', async () => {
    const kinds = await json(['recent', '--db', db]) as { kind: number; name: string; jobs: { requestId: string; createdAt: number; status: string }[] }[];
    assert.deepEqual(kinds.map((entry) => keys(entry)), kinds.map(() => ['jobs', 'kind', 'name']));
    for (const entry of kinds) {
      const newest = [...oracle.jobs.values()].filter((job) => job.kind === entry.kind).sort((a, b) => b.createdAt - a.createdAt).slice(0, 3);
      assert.deepEqual(entry.jobs.map((job) => [job.requestId, job.createdAt, job.status]), newest.map((job) => [job.id, job.createdAt, oracle.jobStatus(job.id)]));
    }
    assert.deepEqual(kinds.map((entry) => entry.kind), [5050, 5100]);
  });

  it('prints the pages as text, strangers\' words on one line without escape sequences', async () => {
    const dvm = await runCliInProcess(['dvm', traffic.dvmA.pubkey, '--db', db, '--now', now]);
    assert.equal(dvm.code, 0, dvm.stderr);
    assert.match(dvm.stdout, /^DVM Echo <b>A<\/b>/);
    assert.match(dvm.stdout, /heartbeat \(11998\): .*\(expired\); waiting: 2/);
    assert.match(dvm.stdout, /announced relays: wss:\/\/relay\.a\.example, wss:\/\/relay\.b\.example, wss:\/\/relay\.c\.example/);
    assert.match(dvm.stdout, /5050\s+text generation\s+40\s+28\s+4\s+70%/);
    assert.match(dvm.stdout, /2\s+model overloaded/);
    const quietB = await runCliInProcess(['dvm', traffic.dvmB.pubkey, '--db', db, '--now', now]);
    assert.match(quietB.stdout, /2\s+out of memory\s+\d{4}-/, 'the clear-screen sequence in its error message is gone, the words shown');
    for (const argv of [['kind', '5100', '--now', now], ['user', traffic.customers[3].pubkey], ['series', '--bucket', '6h', '--now', now], ['recent'], ['dvm', traffic.dvmB.pubkey]]) {
      const run = await runCliInProcess([...argv, '--db', db]);
      assert.equal(run.code, 0, `${argv.join(' ')}: ${run.stderr}`);
      assert.doesNotMatch(run.stdout, /\u001b/);
    }
    const hostile = await hostileDatabase(dir);
    const then = String(HOSTILE_AT + 60);
    for (const argv of [['dvm', hostile.dvm, '--now', then], ['kind', '5555', '--now', then], ['user', hostile.customer], ['recent'], ['series', '--window', '90d', '--bucket', '1d', '--now', then]]) {
      const run = await runCliInProcess([...argv, '--db', hostile.db]);
      assert.equal(run.code, 0, `${argv[0]}: ${run.stderr}`);
      assert.doesNotMatch(run.stdout, TERMINAL_CONTROL, `${argv[0]} prints control characters`);
      if (argv[0] !== 'series') assert.ok(run.stdout.split('\n').some((line) => line.includes('Evil') && line.includes('forged row')), `${argv[0]}: the name stays on its line`);
    }
    const bad = await runCliInProcess(['dvm', 'npub1nope', '--db', db]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /PUBKEY must be a pubkey/);
  });
});
