import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { expandView, openActivity, runPaletteCommand, waitForStatusBarEntry } from '../support/browser';
import { REPO_ROOT } from '../support/paths';
import { waitForRow, widenSidebar } from '../support/treeRows';
import { editorTab, webviewContent } from '../support/webviewPanels';
import { assertShownAsText, hostileText, HTML_PAYLOADS } from '../support/xssPayloads';
import { DvmScene } from './dvmScene';

/**
 * The DVM, kind and user pages (issue 12) in the packaged extension: a simulated DVM with a hostile NIP-89 profile
 * answers jobs on a loopback relay; its row's Open DVM Page action opens its page, a job there opens its trace,
 * its kind opens the kind page and Back returns; a new job reaches the open page live; the profile's markup is
 * shown as text. The dashboard's activity shows the series it covers, the newest requests (each opening its trace)
 * and the top DVMs, and follows new jobs live. Screenshots: media/readme/dvm-page.png, media/readme/dashboard.png.
 */

const NAME = `Pages DVM ${HTML_PAYLOADS.script}`;
const ABOUT = hostileText('About:');

const scene = new DvmScene('dvm-pages');
const workbench = scene.workbench;

before(async () => {
  await scene.open();
  await scene.startDvm({ name: NAME, amountMsats: 21_000, profile: { about: ABOUT, lud16: HTML_PAYLOADS.javascriptUrl, picture: HTML_PAYLOADS.javascriptUrl } });
}, { timeout: 300_000 });

after(() => scene.close());

const publishJob = (input: string) => scene.publishJob(input);

/**
 * Clicks the DVM row's inline Open DVM Page action until the page shows: a row re-drawn by a live update between
 * hover and click hands the command no row (VS Code no longer knows its handle), and it asks for a DVM instead.
 */
async function openDvmPage(page: Page, pane: Locator, frame: FrameLocator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const row = await waitForRow(pane, [/^Pages DVM\b/]);
    await row.hover();
    await row.locator('.action-label[aria-label="Open DVM Page"]').click({ timeout: 5_000 }).catch(() => undefined);
    const shown = await frame.locator('h1', { hasText: 'Pages DVM' }).waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
    if (shown) return;
    if (attempt === 3) throw new Error('the DVM page never showed after Open DVM Page was clicked on its row');
    await page.keyboard.press('Escape');
  }
}

function jobLink(frame: FrameLocator, requestId: string): Locator {
  return frame.locator(`button.link[title="Open the trace of job ${requestId}"]`).first();
}

test('the DVM row opens its page; a job there opens its trace; its kind, a customer\'s page, and Back twice', { timeout: 120_000 }, async () => {
  const page = workbench.page;
  await waitForStatusBarEntry(page, (item) => (item.id ?? '').startsWith('swarmscope.swarmscope.') && /running/i.test(item.ariaLabel), 30_000);
  const job = await publishJob('a job for the pages');
  await openActivity(page, 'Swarmscope');
  await widenSidebar(page, 480);
  const pane = await expandView(page, 'DVMs');
  await waitForRow(pane, [/^Pages DVM\b/, /\b1 job · 100% success/], 30_000);
  const frame = webviewContent(page);
  await openDvmPage(page, pane, frame);
  await jobLink(frame, job.id).waitFor({ state: 'visible', timeout: 30_000 });
  await assertShownAsText(frame, [NAME, HTML_PAYLOADS.imgOnerror, HTML_PAYLOADS.svgOnload, HTML_PAYLOADS.javascriptUrl], 'the DVM page');
  await page.mouse.move(10, 10);
  await page.screenshot({ path: path.join(REPO_ROOT, 'media', 'readme', 'dvm-page.png') });

  await jobLink(frame, job.id).click();
  await editorTab(page, `Job Trace · ${job.id.slice(0, 8)}`).waitFor({ state: 'visible', timeout: 30_000 });

  await editorTab(page, 'DVM Pages').click();
  const pages = webviewContent(page);
  await pages.locator('h1', { hasText: 'Pages DVM' }).waitFor({ state: 'visible', timeout: 30_000 });
  await pages.locator('section[aria-label="Per kind"] button.link', { hasText: /^5050\b/ }).first().click();
  await pages.locator('h1', { hasText: /^Kind 5050\b/ }).waitFor({ state: 'visible', timeout: 30_000 });
  await pages.locator('section[aria-label="DVMs serving it"] button.link', { hasText: 'Pages DVM' }).first().waitFor({ state: 'visible' });
  await assertShownAsText(pages, [NAME], 'the kind page');
  // Its job's customer: their page lists the DVM they used.
  await pages.locator('section[aria-label="Recent jobs"] button.link[title^="User "]').first().click();
  await pages.locator('h1', { hasText: /^User$/ }).waitFor({ state: 'visible', timeout: 30_000 });
  await pages.locator('section[aria-label="DVMs they used"] button.link', { hasText: 'Pages DVM' }).first().waitFor({ state: 'visible' });
  await assertShownAsText(pages, [NAME], 'the user page');
  await pages.locator('button', { hasText: 'Back' }).click();
  await pages.locator('h1', { hasText: /^Kind 5050\b/ }).waitFor({ state: 'visible', timeout: 30_000 });
  await pages.locator('button', { hasText: 'Back' }).click();
  await pages.locator('h1', { hasText: 'Pages DVM' }).waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await pages.locator('button', { hasText: 'Forward' }).isEnabled(), true, 'Forward leads back to the kind page');
});

test('a new job reaches the open DVM page live, without a refresh', { timeout: 90_000 }, async () => {
  const frame = webviewContent(workbench.page);
  await frame.locator('h1', { hasText: 'Pages DVM' }).waitFor({ state: 'visible', timeout: 30_000 });
  const job = await publishJob('a second job, live');
  await jobLink(frame, job.id).waitFor({ state: 'visible', timeout: 30_000 });
  assert.ok(scene.dvm!.answersTo(job.id).length > 0, 'the simulator answered it');
  assert.ok(fs.existsSync(path.join(REPO_ROOT, 'media', 'readme', 'dvm-page.png')));
});

test('the dashboard shows the series and what it covers, the newest requests and the top DVMs, live', { timeout: 90_000 }, async () => {
  const page = workbench.page;
  await runPaletteCommand(page, 'Swarmscope: Open DVM Dashboard');
  const content = webviewContent(page);
  const activity = content.locator('section.activity');
  await activity.locator('.period', { hasText: /^Covers .* in 1h buckets\.$/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await activity.locator('button.link', { hasText: 'Pages DVM' }).first().waitFor({ state: 'visible' });
  await assertShownAsText(content, [NAME], 'the dashboard');

  const job = await publishJob('a third job, for the dashboard');
  await jobLink(content, job.id).waitFor({ state: 'visible', timeout: 30_000 });

  await activity.locator('select[aria-label="Series window"]').selectOption('7d');
  await activity.locator('select[aria-label="Series bucket"]').selectOption('6h');
  await activity.locator('.period', { hasText: /in 6h buckets\.$/ }).first().waitFor({ state: 'visible', timeout: 30_000 });
  await activity.evaluate((section) => section.scrollIntoView({ block: 'start' }));
  await page.mouse.move(10, 10);
  await page.screenshot({ path: path.join(REPO_ROOT, 'media', 'readme', 'dashboard.png') });

  await jobLink(content, job.id).click();
  await editorTab(page, `Job Trace · ${job.id.slice(0, 8)}`).waitFor({ state: 'visible', timeout: 30_000 });
});
