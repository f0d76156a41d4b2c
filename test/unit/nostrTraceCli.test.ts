import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JobTrace, TraceEdge, TraceNode } from '../../src/protocol/nostrProtocol';
import { runCli } from '../support/cliRun';
import { Actor, openCore } from '../fixtures/nostr/eventBuilders';

const T = 1_750_000_000;

/** A parent job and its sub-job; the sub-job's DVM has a hostile name and asks for payment it never earns. */
function chainWithHostileDvm() {
  const customer = new Actor();
  const good = new Actor();
  const hostile = new Actor();
  const parent = customer.sign(5050, [['i', 'hello', 'text']], '', T);
  const child = customer.sign(5001, [['i', parent.id, 'job']], '', T + 10);
  return {
    parent,
    child,
    events: [
      hostile.sign(31990, [['d', 'x'], ['k', '5001']], JSON.stringify({ name: 'Evil\u001b[2J\u001b]0;pwned\u0007\nDVM' }), T - 5),
      parent,
      good.sign(7000, [['e', parent.id], ['status', 'processing']], '', T + 1),
      good.sign(6050, [['e', parent.id]], 'hi', T + 2),
      child,
      hostile.sign(7000, [['e', child.id], ['status', 'payment-required'], ['amount', '5000']], '', T + 11),
      hostile.sign(7000, [['e', child.id], ['status', 'error', 'boom\u001b[31m red']], '', T + 12),
    ],
  };
}

describe('swarmscope trace', () => {
  let dir: string;
  let db: string;
  const { parent, child, events } = chainWithHostileDvm();

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-trace-cli-'));
    db = path.join(dir, 'trace.db');
    const file = path.join(dir, 'events.json');
    fs.writeFileSync(file, JSON.stringify(events));
    const ingest = await runCli(['ingest', file, '--db', db]);
    assert.equal(ingest.code, 0, ingest.stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--json prints the job trace with `nodes` and `edges`: the same graph the engine gives the panel', async () => {
    const { code, stdout, stderr } = await runCli(['trace', child.id, '--db', db, '--json']);
    assert.equal(code, 0, stderr);
    const printed = JSON.parse(stdout) as JobTrace & { nodes: TraceNode[]; edges: TraceEdge[] };
    assert.equal(printed.requestId, child.id);
    assert.deepEqual(printed.parents.map((link) => link.requestId), [parent.id]);
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, events);
      const graph = kit.core.traceGraph(child.id);
      assert.deepEqual(printed.nodes, graph?.nodes);
      assert.deepEqual(printed.edges, graph?.edges);
    } finally {
      await kit.close();
    }
    assert.ok(printed.edges.some((edge) => edge.from === `request:${child.id}` && edge.to === `request:${parent.id}` && edge.type === 'sub-job-of'));
    assert.ok(printed.nodes.some((node) => node.type === 'result'), 'the parent job is drawn with its result');
  });

  it('prints per-DVM flags, the error and the chain as text, with no control characters from the network', async () => {
    const { code, stdout, stderr } = await runCli(['trace', child.id, '--db', db]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /asked payment, no result/);
    assert.match(stdout, /boom\s*red/);
    assert.match(stdout, /chain \(2 jobs, parents first\)/);
    assert.match(stdout, /EvilDVM|Evil DVM/);
    assert.doesNotMatch(stdout, /[\u001b\u0007]/, 'escape sequences from a profile name or a status never reach the terminal');
  });

  it('refuses a malformed id or relay; an unknown id is "no job found" and asks no relay', async () => {
    assert.equal((await runCli(['trace', 'not-an-id', '--db', db])).code, 2);
    assert.equal((await runCli(['trace', child.id, '--relay', 'https://relay.example', '--db', db])).code, 2);
    const missing = await runCli(['trace', 'f'.repeat(64), '--db', db]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no job found/);
    assert.doesNotMatch(missing.stderr, /fetched from/);
  });
});
