import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SnapshotRepo } from '../../src/core/store/sqlite/bittensor/snapshotRepo';
import { sqliteMigrations } from '../../src/core/store/sqlite/sqliteMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { runCliInProcess } from '../support/cliRun';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/**
 * Issue 8, defect 7: names that DVMs and chain identities choose reach the terminal through the CLI's text output.
 * Printed raw, an escape sequence clears the screen or retitles the window, a line break splits a table row in two,
 * a bidi override shows text backwards. Every human-readable output strips them; `--json` keeps the name exact.
 */

/** Clear-screen, a window title, a line break that would start a forged row, a C1 CSI, a bidi override. */
const HOSTILE = 'Evil\u001b[2J\u001b]0;pwned\u0007\nforged row\u009b31m \u202eevil\u202c';
/** What a terminal acts on, or that reorders or hides text; tabs and line breaks are allowed between rows. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069]/;
const KIND = 5555; // not in the registry: named by the DVM's own announcement

const assertClean = (text: string, what: string) =>
  assert.doesNotMatch(text, TERMINAL_CONTROL, `${what} prints control characters: ${JSON.stringify(text)}`);
/** The line that names the DVM; the line break inside the name must not have split it. */
const lineWith = (text: string, needle: string) => text.split('\n').find((line) => line.includes(needle)) ?? '';

describe('CLI text output strips terminal control characters; --json keeps them', () => {
  let dir: string;
  let db: string;
  let requestId: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-cli-terminal-'));
    db = path.join(dir, 'hostile.db');
    const dvm = new Actor();
    const customer = new Actor();
    const at = 1_750_000_000;
    const request = customer.sign(KIND, [['i', 'hello', 'text'], ['p', dvm.pubkey]], '', at);
    requestId = request.id;
    const events = [
      dvm.sign(31990, [['d', 'evil'], ['k', String(KIND)]], JSON.stringify({ name: HOSTILE, about: HOSTILE }), at - 10),
      request,
      dvm.sign(7000, [['status', `error${HOSTILE}`, HOSTILE], ['e', request.id], ['p', customer.pubkey]], '', at + 1),
      dvm.sign(KIND + 1000, [['e', request.id], ['p', customer.pubkey], ['request', JSON.stringify(request)]], 'done', at + 2),
    ];
    const file = path.join(dir, 'events.json');
    fs.writeFileSync(file, JSON.stringify(events));
    const ingested = await runCliInProcess(['ingest', file, '--db', db]);
    assert.equal(ingested.code, 0, ingested.stderr);

    // A stored snapshot whose subnet name and one identity are hostile, in the same database.
    const { store } = await Store.open({ path: db, migrations: sqliteMigrations });
    const snapshot = recordedMetagraphSnapshot();
    const neurons = snapshot.neurons.map((neuron, index) => (index === 0 ? { ...neuron, identity: HOSTILE } : neuron));
    new SnapshotRepo(store.db).save({ ...snapshot, name: HOSTILE, neurons }, { takenAt: at, blockTime: at });
    store.markDirty();
    await store.close();
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('dvms: the name sits on its one table row, without escapes, breaks or bidi overrides', async () => {
    const { code, stdout } = await runCliInProcess(['dvms', '--db', db]);
    assert.equal(code, 0);
    assertClean(stdout, 'dvms');
    const row = lineWith(stdout, 'Evil');
    assert.match(row, /Evil.*forged row.*evil/, `the name is folded into one line: ${JSON.stringify(stdout)}`);
    assert.equal(lineWith(stdout, 'forged row'), row, 'the line break in the name did not start a row of its own');
    // Column alignment holds: every line of the table is as wide as its header, or shorter only by trailing blanks.
    const [header, rule] = stdout.trimEnd().split('\n');
    assert.equal(header.length, rule.length);
  });

  it('kinds and metrics: a DVM-announced kind name is printed clean', async () => {
    for (const command of ['kinds', 'metrics']) {
      const { code, stdout } = await runCliInProcess([command, '--db', db]);
      assert.equal(code, 0);
      assertClean(stdout, command);
      assert.match(lineWith(stdout, 'Evil'), /Evil.*forged row/, `${command}: ${JSON.stringify(stdout)}`);
    }
  });

  it('trace: the header (kind name), the event table (feedback status) and the DVM table are clean', async () => {
    const { code, stdout } = await runCliInProcess(['trace', requestId, '--db', db]);
    assert.equal(code, 0);
    assertClean(stdout, 'trace');
    assert.match(stdout.split('\n')[0], new RegExp(`^job ${requestId} +kind ${KIND} \\(Evil.*forged row.*\\)`), stdout);
    assert.ok(stdout.split('\n').filter((line) => line.includes('forged row')).every((line) => line.includes('Evil')));
  });

  it('metagraph: the subnet name in the header and the table are clean', async () => {
    const { code, stdout } = await runCliInProcess(['metagraph', '--netuid', '1', '--db', db]);
    assert.equal(code, 0);
    assertClean(stdout, 'metagraph');
    assert.match(stdout.split('\n')[0], /^subnet 1 "Evil.*forged row.*" at block/, stdout.slice(0, 300));
  });

  it('overview: the subnet name in the header is clean and on its line', async () => {
    const { code, stdout } = await runCliInProcess(['overview', '--netuid', '1', '--db', db]);
    assert.equal(code, 0, stdout);
    assertClean(stdout, 'overview');
    assert.match(stdout.split('\n')[0], /^subnet 1 "Evil.*forged row.*": newest snapshot/, stdout.slice(0, 300));
  });

  it('--json prints the names exactly as the DVM and the chain gave them', async () => {
    const dvms = JSON.parse((await runCliInProcess(['dvms', '--db', db, '--json'])).stdout) as { name?: string }[];
    assert.equal(dvms[0].name, HOSTILE);
    const kinds = JSON.parse((await runCliInProcess(['kinds', '--db', db, '--json'])).stdout) as { kind: number; name: string }[];
    assert.equal(kinds.find((kind) => kind.kind === KIND)?.name, HOSTILE);
    const snapshot = JSON.parse((await runCliInProcess(['metagraph', '--netuid', '1', '--db', db, '--json'])).stdout) as { name: string; neurons: { identity?: string }[] };
    assert.equal(snapshot.name, HOSTILE);
    assert.ok(snapshot.neurons.some((neuron) => neuron.identity === HOSTILE));
  });
});
