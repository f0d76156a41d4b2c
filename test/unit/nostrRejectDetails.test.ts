import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_EVENT_JSON_LENGTH } from '../../src/core/nostr';
import { DETAILS_PER_REASON } from '../../src/core/nostr/rejections';
import { Actor, openCore, tampered } from '../fixtures/nostr/eventBuilders';

/** Issue 8, defect 9: a rejected event says why (in the ingest result and at debug level), not only "malformed". */

describe('reject details', () => {
  it('names what is wrong with each rejected event, the first few per reason, in the result and the debug log', async () => {
    const logged: string[] = [];
    const kit = await openCore(undefined, { log: (level, message) => logged.push(`${level}: ${message}`) });
    try {
      const actor = new Actor();
      const good = actor.sign(5050, [['i', 'hello', 'text']]);
      const result = await kit.core.ingest('wss://relay.example', [
        tampered(good, { kind: 5050.5 }),
        tampered(good, { created_at: '1744229914' }),
        tampered(good, { tags: [['i', 7]] }),
        tampered(good, { content: null }),
        'not an event',
        tampered(good, { content: 'forged' }),
        actor.sign(5666, []),
        actor.sign(1, [], 'a note'),
        actor.sign(5050, [], 'x'.repeat(MAX_EVENT_JSON_LENGTH)),
        good,
      ]);
      assert.equal(result.accepted, 1);
      assert.deepEqual(result.rejected, { malformed: 5, 'bad-id': 1, 'excluded-kind': 1, 'not-dvm-kind': 1, oversized: 1 });
      assert.deepEqual(result.rejectDetails.malformed, [
        `event ${good.id}: kind is not an integer 0–65535`,
        `event ${good.id}: created_at is not a non-negative integer`,
        `event ${good.id}: a tag is not an array of strings`,
      ], `the first ${DETAILS_PER_REASON} only`);
      assert.deepEqual(result.rejectDetails['bad-id'], [`event ${good.id}: the id is not the hash of its content (NIP-01)`]);
      assert.match(result.rejectDetails['excluded-kind'][0], /kind 5666 is excluded/);
      assert.match(result.rejectDetails['not-dvm-kind'][0], /kind 1 is not a DVM kind/);
      assert.match(result.rejectDetails.oversized[0], /characters of JSON, more than 65536/);

      const malformedLine = logged.find((line) => line.includes('malformed'));
      assert.ok(malformedLine, `a debug line for the malformed events (saw ${logged.join(' | ')})`);
      assert.match(malformedLine, /^debug: rejected 5 malformed event\(s\) from wss:\/\/relay\.example: .*kind is not an integer.*; and 2 more$/);
      assert.ok(logged.every((line) => line.startsWith('debug: ')), 'only at debug level');
    } finally {
      await kit.close();
    }
  });

  it('never copies text from the event into a detail', async () => {
    const kit = await openCore();
    try {
      const hostile = '[click](command:workbench.action.quit)\u001b[2J';
      const result = await kit.core.ingest(undefined, [{ id: hostile, kind: hostile }, tampered(new Actor().sign(5050, []), { sig: hostile })]);
      assert.deepEqual(result.rejected, { malformed: 2 });
      assert.equal(result.rejectDetails.malformed[0], 'id is not 64 lower-case hex');
      assert.match(result.rejectDetails.malformed[1], /^event [0-9a-f]{64}: sig is not 128 lower-case hex$/);
    } finally {
      await kit.close();
    }
  });
});
