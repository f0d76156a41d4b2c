import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs } from '../../src/cli/cliCommand';
import { collectCommand, type CollectSummary } from '../../src/cli/collectCommand';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { pastJobTraffic } from '../support/pastJobTraffic';

const DAY = 86_400;

/** `swarmscope collect --history-days D`: the relays' last D days come in besides the live traffic, once each. */
describe('swarmscope collect --history-days', () => {
  let relay: TestRelay;
  let dir: string;
  const now = Math.floor(Date.now() / 1000);
  const since = now - 5 * DAY;
  let requestsInWindow = 0;

  before(async () => {
    relay = await startRelay();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-collect-history-'));
    const traffic = pastJobTraffic({ now, days: 10, jobs: 40, skip: (at) => Math.abs(at - since) < 3 * 3600 });
    for (const event of traffic) await relay.inject(event);
    requestsInWindow = traffic.filter((event) => event.kind === 5050 && event.created_at >= since).length;
  });

  after(async () => {
    await relay?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = async (extra: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await collectCommand.run(
      parseArgs(['--relay', relay.url, '--endpoint', 'ws://127.0.0.1:1', '--db', path.join(dir, 'collect.db'), '--json', ...extra], collectCommand),
      { out: (text) => out.push(text), err: (text) => err.push(text) },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('stores every request of the last D days once, live window and history together, and reports the backfill', async () => {
    // How far one run gets depends on the machine's load, so the runs go on, each resuming the stored backfill, until
    // one reports it done: what they stored together is the window, each request once.
    const MAX_RUNS = 30;
    const summaries: CollectSummary[] = [];
    while (summaries.length < MAX_RUNS && summaries.at(-1)?.history?.state !== 'done') {
      const { code, out, err } = await run(['--duration', '1', '--history-days', '5']);
      assert.equal(code, 0, err);
      summaries.push(JSON.parse(out) as CollectSummary);
    }
    const last = summaries.at(-1)!;
    assert.equal(last.history?.state, 'done', `not done after ${MAX_RUNS} runs: ${last.history?.message}`);
    assert.match(last.history?.message ?? '', /History backfilled: 5 days/);
    assert.equal(summaries.reduce((sum, summary) => sum + summary.accepted.requests, 0), requestsInWindow);
    assert.ok(requestsInWindow > 0 && requestsInWindow < 40);
  });

  it('refuses a --history-days that is not a number of days, naming the flag', async () => {
    await assert.rejects(run(['--duration', '1', '--history-days', '-1']), /--history-days "-1" must be a number of days from 0 to 3650/);
  });
});
