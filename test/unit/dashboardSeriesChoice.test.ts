import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SERIES_BUCKETS, SERIES_WINDOWS } from '../../src/protocol/nostrPagesProtocol';
import { fitBucket, fits } from '../../webview/dashboard/seriesChoice';

/** The dashboard's series selectors (webview/dashboard/seriesChoice.ts) only ask the engine for series it draws. */

test('a bucket fits a window when it is no longer than the window and gives at most 2,200 points', () => {
  assert.equal(fits('1h', '5m'), true);
  assert.equal(fits('1h', '6h'), false, 'longer than the window');
  assert.equal(fits('7d', '5m'), true, '2,016 points');
  assert.equal(fits('30d', '5m'), false, '8,640 points');
  assert.equal(fits('90d', '1h'), true, '2,160 points');
});

test('a new window keeps the bucket when it fits, else takes the nearest that does; every window has one', () => {
  assert.equal(fitBucket('24h', '1h'), '1h');
  assert.equal(fitBucket('30d', '5m'), '1h', 'too many points: the next larger');
  assert.equal(fitBucket('1h', '1d'), '1h', 'longer than the window: the next smaller that fits');
  for (const window of SERIES_WINDOWS) {
    for (const bucket of SERIES_BUCKETS) assert.ok(fits(window, fitBucket(window, bucket)), `${window} ${bucket}`);
  }
});
