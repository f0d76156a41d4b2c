import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GuardedRelay } from '../../src/core/collectors/guardedRelay';
import { fetchEventWithRelated } from '../../src/core/collectors/relayEventFetch';
import { reportingRelayWebSocket } from '../../src/core/collectors/relayWebSocket';
import { eventually } from '../support/eventually';
import { FAST_TUNING, startCollecting, type CollectorHarness } from '../support/relayCollectorHarness';
import { startHttpOnlyServer, startScriptedRelay, type HttpOnlyServer, type ScriptedRelay } from '../support/scriptedRelay';

/**
 * Issue 8, defect 8: a relay that sends garbage or only NOTICEs must not look healthy, a failed connection must say
 * why, and nostr-tools' own console output (raw frames, stack traces) must go to our log, not to stderr.
 */

/** What reaches stderr while `body` runs (nostr-tools writes there with console.warn). */
async function stderrDuring<T>(body: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  const written: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (original as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    return { result: await body(), stderr: written.join('') };
  } finally {
    process.stderr.write = original;
  }
}

const state = (h: CollectorHarness) => h.collector.status()[0];

describe('a relay that misbehaves', () => {
  let garbage: ScriptedRelay;
  let noticesOnly: ScriptedRelay;
  let httpOnly: HttpOnlyServer;

  before(async () => {
    garbage = await startScriptedRelay(() => ['this is not json {', Buffer.from([1, 2, 3]), '["EVENT"]', '{"not":"an array"}', '["HELLO","x"]']);
    noticesOnly = await startScriptedRelay(() => [JSON.stringify(['NOTICE', 'rate-limited: slow down\u001b[2J'])]);
    httpOnly = await startHttpOnlyServer(404);
  });
  after(async () => {
    await garbage.stop();
    await noticesOnly.stop();
    await httpOnly.stop();
  });

  it('counts bad frames, shows the relay degraded with the reason, and keeps nostr-tools off stderr', async () => {
    const { stderr } = await stderrDuring(async () => {
      const h = startCollecting([garbage.url]);
      try {
        const degraded = await eventually('the relay shown as degraded', () => state(h).state === 'degraded' && state(h));
        assert.match(degraded.reason ?? '', /^\d+ bad frames? \(last: .+\)$/);
        await eventually('every bad frame of the first REQ counted', () => h.collector.stats()[0].badFrames >= 5);
        assert.match(state(h).detail ?? '', /\d+ bad frames/);
        assert.ok((h.dropped.get('bad frame (not a NIP-01 message)') ?? 0) >= 5, 'counted as dropped too');
        const reasons = h.logged.filter((line) => line.startsWith(`debug: relay ${garbage.url} sent a bad frame`)).join('\n');
        for (const reason of ['not JSON', 'a binary frame', 'a malformed EVENT message', 'not a NIP-01 message', 'an unknown message type HELLO']) {
          assert.ok(reasons.includes(`(${reason}`), `a debug line names "${reason}"`);
        }
        assert.ok(h.logged.some((line) => line.startsWith(`warn: relay ${garbage.url} is degraded: `)), 'the change is said once at warn level');
        assert.equal(h.received.size, 0);
      } finally {
        await h.collector.dispose();
      }
    });
    assert.doesNotMatch(stderr, /nostr|not json|SyntaxError/i, 'nothing of nostr-tools reached stderr');
  });

  it('shows a relay that answers only with NOTICEs as degraded, quoting the notice as one plain line', async () => {
    const h = startCollecting([noticesOnly.url], { ...FAST_TUNING, maxWaitMs: 1_000 });
    try {
      const degraded = await eventually('the relay shown as degraded', () => state(h).state === 'degraded' && state(h));
      assert.equal(degraded.reason, 'answers only with NOTICE (last: "rate-limited: slow down")');
      assert.ok(h.logged.some((line) => line === `info: relay ${noticesOnly.url} NOTICE: rate-limited: slow down`));
    } finally {
      await h.collector.dispose();
    }
  });

  it('keeps a relay that sends a NOTICE and then answers healthy', async () => {
    const greeting = await startScriptedRelay((id) => [JSON.stringify(['NOTICE', 'welcome']), JSON.stringify(['EOSE', id])]);
    const h = startCollecting([greeting.url]);
    try {
      await eventually('the backfill done', () => state(h).state === 'connected' && !h.collector.stats()[0].backfilling);
      assert.equal(h.collector.stats()[0].degradedReason, undefined);
      assert.ok(h.collector.stats()[0].notices >= 2, 'its notices are counted');
      assert.ok(!h.logged.some((line) => line.includes('is degraded')));
    } finally {
      await h.collector.dispose();
      await greeting.stop();
    }
  });

  it('says why a connection failed: refused, an HTTP status instead of an upgrade, TLS', async () => {
    const cases: [string, RegExp][] = [
      ['ws://127.0.0.1:1', /^connection refused \(connect ECONNREFUSED 127\.0\.0\.1:1\)$/],
      [`ws://127.0.0.1:${httpOnly.port}`, /^HTTP 404 instead of a WebSocket upgrade/],
      [`wss://127.0.0.1:${httpOnly.port}`, /^TLS failed: EPROTO/],
    ];
    for (const [url, expected] of cases) {
      const h = startCollecting([url], { ...FAST_TUNING, backoffBaseMs: 60_000, backoffCapMs: 60_000 });
      try {
        const retrying = await eventually(`${url} retrying`, () => state(h).state === 'retrying' && state(h));
        assert.match(retrying.lastError ?? '', expected, url);
        assert.equal(retrying.lastConnectedAt, undefined, 'never reached');
      } finally {
        await h.collector.dispose();
      }
    }
  });

  it("routes nostr-tools' console output for a frame it fails on to the debug log, and counts the frame", async () => {
    // A subscription with a tag filter: nostr-tools' filter match reads event.tags as an array and throws on a string.
    const subscriptionId = 'people:1';
    const choking = await startScriptedRelay((id) => [JSON.stringify(['EVENT', id, { id: 'x', kind: 0, tags: 'not an array' }]), JSON.stringify(['EOSE', id])]);
    const bad: string[] = [];
    const output: string[] = [];
    const { stderr } = await stderrDuring(async () => {
      const relay = new GuardedRelay(choking.url, {
        verifyEvent: () => true,
        websocketImplementation: reportingRelayWebSocket({ failed: () => undefined, closed: () => undefined }) as never,
      }, { frame: () => undefined, badFrame: (reason) => bad.push(reason), libraryOutput: (text) => output.push(text) });
      try {
        await relay.connect();
        const ended = new Promise<void>((resolve) => relay.subscribe([{ kinds: [0], '#p': ['a'.repeat(64)] }], { id: subscriptionId, onevent: () => undefined, oneose: resolve }));
        await ended;
      } finally {
        relay.close();
        await choking.stop();
      }
    });
    assert.deepEqual(bad, ['nostr-tools could not handle this EVENT message']);
    assert.equal(output.length, 1);
    assert.match(output[0], /error processing message/);
    assert.doesNotMatch(stderr, /error processing message/);
  });

  it('the one-shot trace fetch says why a relay could not be reached, and keeps nostr-tools off stderr', async () => {
    const logged: string[] = [];
    const { result: report, stderr } = await stderrDuring(() => fetchEventWithRelated({
      reference: 'ab'.repeat(32),
      relays: ['ws://127.0.0.1:1', garbage.url],
      deliver: () => ({ accepted: 0 }),
      log: { log: (level, message) => logged.push(`${level}: ${message}`) },
      maxWaitMs: 300,
    }));
    const byUrl = new Map(report.relays.map((entry) => [entry.url, entry.error]));
    assert.match(byUrl.get('ws://127.0.0.1:1') ?? '', /^could not connect: connection refused \(connect ECONNREFUSED 127\.0\.0\.1:1\)$/);
    assert.ok(logged.some((line) => line.startsWith(`debug: relay ${garbage.url} sent a bad frame (not JSON)`)));
    assert.doesNotMatch(stderr, /nostr|not json|SyntaxError/i);
  });
});
