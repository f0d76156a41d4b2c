import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { neventEncode } from 'nostr-tools/nip19';
import type { TraceNode } from '../../src/protocol/nostrProtocol';
import { runCli } from '../support/cliRun';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { Actor } from '../fixtures/nostr/eventBuilders';

/** `swarmscope trace` on an empty database: the job is on a loopback relay only, and is fetched from there. */
describe('swarmscope trace fetches what the database lacks', () => {
  let relay: TestRelay;
  const customer = new Actor();
  const dvm = new Actor();
  const now = Math.floor(Date.now() / 1000);
  const request = customer.sign(5050, [['i', 'hello', 'text']], '', now - 10);
  const result = dvm.sign(6050, [['e', request.id], ['p', customer.pubkey]], 'hi', now - 8);

  before(async () => {
    relay = await startRelay();
    for (const event of [request, result]) await relay.inject(event);
  });
  after(async () => relay?.stop());

  it('from the relay an nevent hints at', async () => {
    const { code, stdout, stderr } = await runCli(['trace', neventEncode({ id: result.id, relays: [relay.url] }), '--db', ':memory:', '--json']);
    assert.equal(code, 0, stderr);
    const nodes = (JSON.parse(stdout) as { nodes: TraceNode[] }).nodes;
    assert.deepEqual(nodes.map((node) => node.type).sort(), ['customer', 'dvm', 'request', 'result']);
    assert.equal(nodes.find((node) => node.asked)?.eventId, result.id);
  });

  it('from --relay, saying so', async () => {
    const { code, stdout, stderr } = await runCli(['trace', request.id, '--relay', relay.url, '--db', ':memory:']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, new RegExp(`fetched from ${relay.url} \\(2 events\\): 2 new events stored`));
    assert.match(stdout, /result-delivered/);
  });
});
