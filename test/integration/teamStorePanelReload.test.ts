import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { nostrPagePanel, type NostrPagePanel } from '../../src/panels/nostrPagePanel';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { nostrPageProtocol, type ToPage } from '../../src/protocol/nostrPagePanelProtocol';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { eventually } from '../support/eventually';
import { PanelLoopback } from '../support/panelLoopback';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/*
 * The whole path of an `engine.reload` on a team store (issue 14), with no notification made up by the test: engine A
 * stores a change set too large to name in one NOTIFY (more DVMs than fit in its 8 kB), so engine B on the same
 * PostgreSQL database can only say "read the Nostr views again"; its notifications go through the panels' real router
 * to an open DVM page, which then shows the job A stored. The `nostr.changed` B also sends names no DVM, so the
 * page would stay as it was if the panel host ignored the reload.
 */

const OFFLINE_CHAIN = 'ws://127.0.0.1:1';
/** Enough DVMs that their ids (67 bytes each in JSON) pass the notice's 7,800-byte budget even with the jobs cut. */
const DVMS = 130;

async function startEditor(url: string, notify: (notification: EngineNotification) => void): Promise<Engine> {
  return Engine.start(
    { dbPath: undefined, store: { url }, settings: { relays: [], subtensorEndpoint: OFFLINE_CHAIN, trackedSubnets: [] }, collect: false },
    { notify, log: { log: () => undefined } },
  );
}

describe('team store: a change too large to name reaches the open panels', () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  it('engine B\'s engine.reload makes its open DVM page read again and show what engine A stored', async () => {
    const url = await createDatabase(server);
    const heard: EngineNotification[] = [];
    let route: (notification: EngineNotification) => void = () => undefined;
    const a = await startEditor(url, () => undefined);
    const b = await startEditor(url, (notification) => {
      heard.push(notification);
      route(notification);
    });
    try {
      const customer = new Actor();
      const dvms = Array.from({ length: DVMS }, () => new Actor());
      const watched = dvms[0];
      const at = Math.floor(Date.now() / 1000) - 60;
      const events: NostrEvent[] = dvms.flatMap((dvm, i) => {
        const request = customer.sign(5050, [['i', `job ${i}`, 'text'], ['p', dvm.pubkey]], '', at);
        return [request, dvm.sign(6050, [['e', request.id], ['p', customer.pubkey], ['request', JSON.stringify(request)]], `answer ${i}`, at + 1)];
      });

      const definition = nostrPagePanel({ engine: { request: (method, params) => b.call(method, params) }, actions: { openTrace: () => undefined, watch: async () => 'watching' } }, new Set<NostrPagePanel>());
      const loop = new PanelLoopback(nostrPageProtocol, (channel) => definition.create(channel, { type: 'dvm', id: watched.pubkey }));
      route = (notification) => loop.router.route(notification);
      const messages: ToPage[] = [];
      loop.page.onMessage((message) => void messages.push(message));
      loop.page.ready();
      const lastPage = () => messages.filter((message) => message.type === 'page').at(-1);
      await eventually('the page of a DVM B does not know yet', () => lastPage());
      assert.equal(lastPage()?.type === 'page' && lastPage()?.data.page, null);

      const stored = await a.call('nostr.ingest', { events });
      assert.equal(stored.accepted, events.length);
      await eventually('the DVM page showing its job', () => {
        const last = lastPage();
        return last?.type === 'page' && last.data.type === 'dvm' && last.data.page?.pubkey === watched.pubkey;
      });
      assert.ok(heard.some((n) => n.topic === 'engine.reload' && n.payload.domain === 'nostr'), 'B could not name the change');
      assert.ok(!heard.some((n) => n.topic === 'nostr.changed' && n.payload.dvms.includes(watched.pubkey)), 'and named no DVM');
      loop.session.dispose();
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});
