import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npubEncode, nsecEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import type { CancelReport } from '../../src/cli/cancelCommand';
import type { PostReport } from '../../src/cli/postCommand';
import { encryptionScheme } from '../../src/core/nostr/encryption';
import type { JobTrace, TraceEdge, TraceNode } from '../../src/protocol/nostrProtocol';
import { runCli } from '../support/cliRun';
import { DvmSimulator } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { relayEvents } from '../support/relayQuery';

/** `swarmscope post` / `cancel` as a user runs them, against the loopback relay and the simulated DVMs. */
describe('swarmscope post', () => {
  let relay: TestRelay;
  let dvm: DvmSimulator;
  let dvm44: DvmSimulator;
  let dir: string;

  before(async () => {
    relay = await startRelay();
    dvm = await DvmSimulator.start({ relayUrl: relay.url, name: 'Echo DVM', amountMsats: 21_000 });
    dvm44 = await DvmSimulator.start({ relayUrl: relay.url, name: 'Echo DVM (NIP-44)', nip44: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-post-'));
  });
  after(async () => {
    await dvm?.stop();
    await dvm44?.stop();
    await relay?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** With --dvm the wait ends as soon as the DVM is done; 20 s is only the bound. */
  const post = (...args: string[]) => runCli(['post', '--relay', relay.url, ...(args.includes('--wait') ? [] : ['--wait', '20']), ...args]);
  const json = <T>(stdout: string) => JSON.parse(stdout) as T;
  const statuses = (report: PostReport) => report.answers.map((answer) => (answer.role === 'result' ? 'result' : answer.status));

  function keyFile(name: string, mode: number): { file: string; secret: Uint8Array } {
    const secret = generateSecretKey();
    const file = path.join(dir, name);
    fs.writeFileSync(file, `${nsecEncode(secret)}\n`);
    fs.chmodSync(file, mode);
    return { file, secret };
  }

  it('plain, --json: the job id, the relay\'s OK, and payment-required (amount, bolt11), processing and the result', async () => {
    const { code, stdout, stderr } = await post('--kind', '5050', '--input', 'hello cli', '--dvm', dvm.pubkey, '--param', 'model', 'small', '--bid', '21000', '--db', ':memory:', '--json');
    assert.equal(code, 0, stderr);
    const report = json<PostReport>(stdout);
    assert.match(report.id, /^[0-9a-f]{64}$/);
    assert.equal(report.request.id, report.id);
    assert.deepEqual(report.relays.map(({ url, outcome }) => ({ url, outcome })), [{ url: relay.url, outcome: 'ok' }]);
    assert.deepEqual(report.request.tags, [['i', 'hello cli', 'text'], ['param', 'model', 'small'], ['bid', '21000'], ['relays', relay.url], ['p', dvm.pubkey]]);
    assert.equal(report.keyKept, false);
    assert.equal(report.settled, true);
    assert.deepEqual(statuses(report), ['payment-required', 'processing', 'result']);
    assert.equal(report.answers[0].amountMsats, 21_000);
    assert.match(report.answers[0].bolt11 ?? '', /^lnbc/);
    assert.equal(report.answers[2].content, 'echo: hello cli');
    assert.equal(report.answers[2].encrypted, false);
  });

  it('--encrypt (NIP-04 for a DVM not known to announce NIP-44): the input is not in the clear, the result comes back decrypted', async () => {
    const { code, stdout, stderr } = await post('--input', 'secret cli prompt', '--dvm', dvm.pubkey, '--encrypt', '--db', ':memory:', '--json');
    assert.equal(code, 0, stderr);
    const report = json<PostReport>(stdout);
    assert.equal(report.encryption, 'nip04');
    assert.deepEqual(report.request.tags, [['relays', relay.url], ['p', dvm.pubkey], ['encrypted']]);
    assert.equal(encryptionScheme(report.request.content), 'nip04');
    assert.ok(!stdout.replace(/"content": "echo: secret cli prompt"/, '').includes('secret cli prompt'), 'the prompt shows only in the decrypted result');
    const result = report.answers.find((answer) => answer.role === 'result');
    assert.deepEqual({ content: result?.content, encrypted: result?.encrypted, decrypted: result?.decrypted }, { content: 'echo: secret cli prompt', encrypted: true, decrypted: true });
  });

  it('--encrypt uses NIP-44 where the database knows the DVM announces it', async () => {
    const db = path.join(dir, 'nip44.db');
    const announcement = path.join(dir, 'announcement.json');
    fs.writeFileSync(announcement, JSON.stringify([dvm44.announcement]));
    assert.equal((await runCli(['ingest', announcement, '--db', db])).code, 0);
    const { code, stdout, stderr } = await post('--input', 'nip44 prompt', '--dvm', dvm44.pubkey, '--encrypt', '--db', db, '--json');
    assert.equal(code, 0, stderr);
    const report = json<PostReport>(stdout);
    assert.equal(report.encryption, 'nip44');
    assert.equal(encryptionScheme(report.request.content), 'nip44');
    assert.equal(report.answers.find((answer) => answer.role === 'result')?.content, 'echo: nip44 prompt');
  });

  it('the error path: a DVM answering error makes the exit code 3, with its message', async () => {
    const { code, stdout } = await post('--input', 'please fail', '--dvm', dvm.pubkey, '--param', 'fail', 'true', '--db', ':memory:', '--json');
    assert.equal(code, 3);
    const report = json<PostReport>(stdout);
    assert.equal(report.settled, true);
    assert.deepEqual(report.answers.map(({ status, statusMessage }) => ({ status, statusMessage })), [{ status: 'error', statusMessage: 'simulated failure requested by the fail param' }]);
  });

  it('a chained job (--input-type job) consumes the earlier job\'s output and is its sub-job in trace --json', async () => {
    const db = path.join(dir, 'chain.db');
    const first = json<PostReport>((await post('--input', 'first', '--dvm', dvm.pubkey, '--db', db, '--json')).stdout);
    const second = await post('--input', first.id, '--input-type', 'job', '--dvm', dvm.pubkey, '--db', db, '--json');
    assert.equal(second.code, 0, second.stderr);
    const chained = json<PostReport>(second.stdout);
    assert.deepEqual(chained.request.tags[0], ['i', first.id, 'job']);
    assert.equal(chained.answers.find((answer) => answer.role === 'result')?.content, 'echo: echo: first');
    const trace = await runCli(['trace', chained.id, '--db', db, '--json']);
    assert.equal(trace.code, 0, trace.stderr);
    const graph = json<JobTrace & { nodes: TraceNode[]; edges: TraceEdge[] }>(trace.stdout);
    const requestNode = (id: string) => graph.nodes.find((node) => node.type === 'request' && node.eventId === id)?.id;
    assert.ok(requestNode(first.id) && requestNode(chained.id));
    assert.ok(graph.edges.some((edge) => edge.type === 'sub-job-of' && edge.from === requestNode(chained.id) && edge.to === requestNode(first.id)), JSON.stringify(graph.edges));
  });

  it('cancel publishes a deletion signed by the job\'s key: the relay serves it, and the trace shows the job cancelled', async () => {
    const db = path.join(dir, 'cancel.db');
    const { file, secret } = keyFile('cancel.key', 0o600);
    const posted = json<PostReport>((await post('--input', 'cancel me', '--dvm', dvm.pubkey, '--key-file', file, '--wait', '0', '--db', db, '--json')).stdout);
    assert.equal(posted.keyKept, true);
    assert.equal(posted.pubkey, getPublicKey(secret));
    const cancelled = await runCli(['cancel', posted.id, '--relay', relay.url, '--key-file', file, '--db', db, '--json']);
    assert.equal(cancelled.code, 0, cancelled.stderr);
    const report = json<CancelReport>(cancelled.stdout);
    assert.equal(report.job, posted.id);
    assert.deepEqual(report.relays.map((answer) => answer.outcome), ['ok']);
    const [deletion] = await relayEvents(relay.url, { ids: [report.deletion] });
    assert.deepEqual({ kind: deletion?.kind, pubkey: deletion?.pubkey, tags: deletion?.tags }, { kind: 5, pubkey: posted.pubkey, tags: [['e', posted.id], ['k', '5050']] });
    const traced = await runCli(['trace', posted.id, '--db', db, '--json']);
    assert.equal(traced.code, 0, traced.stderr);
    const trace = json<JobTrace & { nodes: TraceNode[] }>(traced.stdout);
    assert.equal(trace.cancelled, true);
    assert.ok(trace.nodes.some((node) => node.type === 'cancellation' && node.eventId === report.deletion));
    // Another key cannot cancel it.
    const other = keyFile('other.key', 0o600);
    const refused = await runCli(['cancel', posted.id, '--relay', relay.url, '--key-file', other.file, '--db', db]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /posted by another key/);
  });

  it('refuses a key file others may read (exit 2, how to fix it), before anything is posted', async () => {
    const { file } = keyFile('open.key', 0o644);
    const { code, stdout, stderr } = await post('--input', 'never sent', '--key-file', file, '--db', ':memory:');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /mode 0644: other users may read it; run chmod 600/);
  });

  it('the secret key (hex or nsec) is nowhere: not in the database file, nor on stdout or stderr with --verbose', async () => {
    const db = path.join(dir, 'secret.db');
    const { file, secret } = keyFile('secret.key', 0o600);
    const hex = Buffer.from(secret).toString('hex');
    const nsec = nsecEncode(secret);
    const runs = [
      await post('--input', 'find my key', '--dvm', dvm.pubkey, '--encrypt', '--key-file', file, '--db', db, '--verbose'),
      await post('--input', 'find my key', '--dvm', dvm.pubkey, '--key-file', file, '--db', db, '--verbose', '--json'),
      await runCli(['cancel', json<PostReport>((await post('--input', 'x', '--dvm', dvm.pubkey, '--key-file', file, '--wait', '0', '--db', db, '--json')).stdout).id,
        '--relay', relay.url, '--key-file', file, '--db', db, '--verbose']),
    ];
    const database = fs.readFileSync(db);
    const texts = [...runs.flatMap((run) => [run.stdout, run.stderr]), database.toString('latin1')];
    for (const text of texts) {
      assert.equal(text.toLowerCase().includes(hex), false, 'hex secret found');
      assert.equal(text.toLowerCase().includes(nsec), false, 'nsec found');
    }
    assert.equal(database.includes(Buffer.from(secret)), false, 'the raw secret bytes are in the database');
    // What the search would have found, had the secret been written like the rest: the search sees the data.
    assert.ok(runs.every((run) => run.code === 0), runs.map((run) => run.stderr).join('\n'));
    assert.ok(runs[0].stdout.includes(npubEncode(getPublicKey(secret))), 'stdout names the customer');
    assert.match(runs[0].stderr, /\[info\] published job kind 5050/, '--verbose shows the engine log');
    assert.ok(database.includes(Buffer.from(relay.url)), 'the database keeps event text as written');
    assert.ok(database.includes(Buffer.from(getPublicKey(secret), 'hex')), 'the database keeps the customer\'s public key bytes');
  });
});
