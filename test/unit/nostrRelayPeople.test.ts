import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTHORS_PER_FILTER, deletionAndZapFilters, peopleFilters, profileFilters } from '../../src/core/collectors/relayFilters';
import { NOBODY, RelayPeople } from '../../src/core/collectors/relayPeople';

/** Who the collector's people feed follows, and the filters it pages them with (relayPeopleFeed.ts). */

const hex = (n: number) => n.toString(16).padStart(64, '0');

describe('RelayPeople newcomers', () => {
  it('lists only the DVMs and users followed after a mark, in the order they were learned', () => {
    const overflow: string[] = [];
    const people = new RelayPeople(10, (message) => overflow.push(message));
    people.learn({ kind: 6050, pubkey: hex(1) });
    people.learn({ kind: 5050, pubkey: hex(2) });
    const mark = people.mark();
    assert.deepEqual(mark, { dvms: 1, users: 1 });
    people.learn({ kind: 7000, pubkey: hex(3) });
    people.learn({ kind: 31990, pubkey: hex(4), tags: [['k', '5300']] });
    people.learn({ kind: 5300, pubkey: hex(5) });
    people.learn({ kind: 6050, pubkey: hex(1) }); // known: not a newcomer
    people.learn({ kind: 31990, pubkey: hex(6), tags: [['k', '1']] }); // announces no job kind
    assert.deepEqual(people.since(mark), { dvms: [hex(3), hex(4)], users: [hex(5)] });
    assert.deepEqual(people.since(NOBODY), { dvms: [hex(1), hex(3), hex(4)], users: [hex(2), hex(5)] });
    assert.deepEqual(people.since(people.mark()), { dvms: [], users: [] });
    assert.equal(overflow.length, 0);
  });

  it('stops following at capacity and says so once', () => {
    const overflow: string[] = [];
    const people = new RelayPeople(2, (message) => overflow.push(message));
    for (let i = 1; i <= 5; i++) people.learn({ kind: 5050, pubkey: hex(i) });
    assert.equal(people.size, 2);
    assert.equal(overflow.length, 1);
  });
});

describe('people filters', () => {
  const dvms = Array.from({ length: AUTHORS_PER_FILTER + 1 }, (_, i) => hex(i));
  const users = [hex(9000)];

  it('asks for profiles without a time bound, so a backfill can reach back to any age', () => {
    const filters = profileFilters(dvms);
    assert.equal(filters.length, 2, 'authors are chunked');
    assert.deepEqual(filters.map((filter) => filter.authors?.length), [AUTHORS_PER_FILTER, 1]);
    assert.ok(filters.every((filter) => filter.kinds?.join() === '0' && filter.since === undefined && filter.limit === undefined));
  });

  it('asks for zap receipts to DVMs by #p and deletions by their authors', () => {
    const filters = deletionAndZapFilters({ dvms, users });
    assert.deepEqual(filters.map((filter) => filter.kinds?.[0]), [9735, 9735, 5]);
    assert.equal(filters[0]['#p']?.length, AUTHORS_PER_FILTER);
    assert.deepEqual(filters[2].authors, users);
  });

  it('bounds every live filter by `since` and sets no limit (the live stream is not a page)', () => {
    const filters = peopleFilters({ dvms, users }, 1_700_000_000);
    assert.equal(filters.length, 5);
    assert.ok(filters.every((filter) => filter.since === 1_700_000_000 && filter.limit === undefined));
  });
});
