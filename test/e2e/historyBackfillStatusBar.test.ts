import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Filter } from 'nostr-tools/filter';
import type { Event } from 'nostr-tools/pure';
import { screenshot, statusBarEntries, waitForNotification, waitForStatusBarEntry, type StatusBarEntry } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS } from '../support/codeServer';
import { eventually } from '../support/eventually';
import { pastJobTraffic } from '../support/pastJobTraffic';
import { startRelayWithoutEose, type RelayWithoutEose } from '../support/relayWithoutEose';
import { WorkbenchSession } from './workbenchSession';

/**
 * The history backfill as a user sees it (issue 12): a relay holding 40 days of job traffic answers the backfill's
 * first page and then stalls (no EOSE: the run keeps retrying from where it stopped), so the status bar holds the
 * progress steady: "History NN%". A click on it cancels the run, says so, and the item goes away.
 */

const workbench = new WorkbenchSession('historyBackfill');
let relay: RelayWithoutEose | undefined;
/** Set at the start: the backfill's first page asks for events up to about then. */
let startedAt = 0;

const ours = (entry: StatusBarEntry) => entry.id === 'swarmscope.swarmscope.swarmscope.historyBackfill';

before(async () => {
  relay = await startRelayWithoutEose();
  startedAt = Math.floor(Date.now() / 1000);
  // More than one page (500) of events inside the 30 days, so that a first page is only part of the run.
  for (const event of pastJobTraffic({ now: startedAt, days: 40, jobs: 400 })) relay.publish(event as Event);
  // Only a history page from the top of the run ends (EOSE); the next page, further back, never does.
  relay.eoseFor = (filters: readonly Filter[]) => filters.some((filter) => filter.until !== undefined && filter.until >= startedAt);
  await workbench.open({ ...OFFLINE_SWARMSCOPE_SETTINGS, 'swarmscope.nostr.relays': [relay.url] });
}, { timeout: 300_000 });

after(async () => {
  await workbench.close();
  await relay?.stop();
});

test('the status bar shows the history backfill\'s progress, and a click cancels it', { timeout: 120_000 }, async () => {
  const page = workbench.page;
  const entry = await waitForStatusBarEntry(page, (item) => ours(item) && /History [1-9]\d*%/.test(item.text), 60_000);
  assert.match(entry.ariaLabel, /^Backfilling 30 days of history/);
  await screenshot(page, 'history-backfill-status-bar');
  await page.locator('.part.statusbar .statusbar-item#swarmscope\\.swarmscope\\.swarmscope\\.historyBackfill a, .part.statusbar .statusbar-item#swarmscope\\.swarmscope\\.swarmscope\\.historyBackfill').first().click();
  const message = await waitForNotification(page, 'History backfill cancelled');
  assert.match(message, /cancelled at [1-9]\d*%/);
  await eventually('the history item to go away', async () => !(await statusBarEntries(page)).some(ours));
});
