import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dashboardProtocol } from '../../src/protocol/dashboardProtocol';
import { checkFromHost, checkFromWebview, subjectOfState } from '../../src/protocol/webviewPanelProtocol';
import { weightsProtocol } from '../../src/protocol/weightsPanelProtocol';
import { PageState } from '../../webview/common/pageState';

/** The panel envelope's guards, with the dashboard's and the weights panel's own protocols inside it. */

test('webview → host: ready, a known message, or nothing', () => {
  assert.deepEqual(checkFromWebview(dashboardProtocol, { kind: 'ready' }), { ok: true, envelope: { kind: 'ready' } });
  assert.equal(checkFromWebview(dashboardProtocol, { kind: 'message', message: { type: 'openKind', kind: 5050 } }).ok, true);
  assert.equal(checkFromWebview(dashboardProtocol, { kind: 'message', message: { type: 'openKind', kind: '5050' } }).ok, false);
  assert.equal(checkFromWebview(weightsProtocol, { kind: 'message', message: { type: 'refresh' } }).ok, true);
  assert.equal(checkFromWebview(weightsProtocol, { kind: 'message', message: { type: 'openKind', kind: 5050 } }).ok, false, 'another panel\'s message');
  // The old, unwrapped messages are refused: a page from before the envelope cannot drive the host.
  assert.equal(checkFromWebview(weightsProtocol, { type: 'ready' }).ok, false);
  assert.equal(checkFromWebview(weightsProtocol, { type: 'refresh' }).ok, false);
  for (const value of [null, undefined, 'ready', 42, [], [{ kind: 'ready' }], { kind: 'Ready' }, {}]) {
    assert.equal(checkFromWebview(dashboardProtocol, value).ok, false, JSON.stringify(value));
  }
});

test('webview → host: a request names a method of the protocol and carries an id; a refusal keeps the id to answer', () => {
  assert.deepEqual(checkFromWebview(dashboardProtocol, { kind: 'request', id: 7, method: 'toString', params: {} }), { ok: false, reason: 'an unknown request "toString"', requestId: 7 },
    'inherited object keys are not methods');
  assert.deepEqual(checkFromWebview(dashboardProtocol, { kind: 'request', id: 1.5, method: 'x', params: {} }), { ok: false, reason: 'a request without a valid id' });
  assert.deepEqual(checkFromWebview(dashboardProtocol, { kind: 'request', id: 0, method: 'x', params: {} }), { ok: false, reason: 'a request without a valid id' });
});

test('host → webview: a known message, or a response that echoes an id with a result or an error', () => {
  assert.equal(checkFromHost(weightsProtocol, { kind: 'message', message: { type: 'loading', netuid: 1 } }).ok, true);
  assert.deepEqual(checkFromHost(weightsProtocol, { kind: 'message', message: { type: 'loading', netuid: -1 } }), { ok: false, reason: 'a message this panel does not know (type "loading")' });
  assert.deepEqual(checkFromHost(weightsProtocol, { kind: 'response', id: 3, ok: true, result: null }), { ok: true, envelope: { kind: 'response', id: 3, ok: true, result: null } });
  assert.deepEqual(checkFromHost(weightsProtocol, { kind: 'response', id: 3, ok: false, error: 'boom' }), { ok: true, envelope: { kind: 'response', id: 3, ok: false, error: 'boom' } });
  assert.deepEqual(checkFromHost(weightsProtocol, { kind: 'response', id: 3, ok: true }), { ok: false, reason: 'a malformed response', requestId: 3 });
  assert.deepEqual(checkFromHost(weightsProtocol, { kind: 'response', id: 3, ok: false }), { ok: false, reason: 'a malformed response', requestId: 3 });
  assert.equal(checkFromHost(weightsProtocol, { type: 'loading', netuid: 1 }).ok, false, 'unwrapped');
});

test('a refusal names the type of what it refused, never its content', () => {
  const hostile = { kind: 'message', message: { type: '<img src=x onerror=alert(1)>'.repeat(10), text: 'secret' } };
  const checked = checkFromHost(dashboardProtocol, hostile);
  assert.equal(checked.ok, false);
  if (!checked.ok) {
    assert.ok(checked.reason.length < 100, checked.reason);
    assert.doesNotMatch(checked.reason, /secret/);
  }
});

test('the serializer reads the subject back from what a page persisted', () => {
  assert.equal(subjectOfState({ subject: 23, ui: { columnWidth: 4 } }), 23);
  assert.equal(subjectOfState({ subject: null }), null);
  assert.equal(subjectOfState({ columnWidth: 4 }), undefined, 'state from before pages persisted a subject');
  assert.equal(subjectOfState(undefined), undefined);
  assert.equal(subjectOfState('23'), undefined);
});

test('a page persists its subject at once, and its UI state merged over the defaults', () => {
  let stored: unknown = { subject: 1, ui: { columnWidth: 8, removed: true } };
  const store = { getState: () => stored, setState: (state: unknown) => (stored = state) };
  const state = new PageState(store, 23, { columnWidth: 0, rowOrder: 'stake' });
  assert.deepEqual(stored, { subject: 23, ui: { columnWidth: 8, removed: true, rowOrder: 'stake' } }, 'the host\'s subject wins; saved choices kept; new fields defaulted');
  state.update({ columnWidth: 2 });
  assert.deepEqual(stored, { subject: 23, ui: { columnWidth: 2, removed: true, rowOrder: 'stake' } });

  let fresh: unknown;
  new PageState({ getState: () => undefined, setState: (value) => (fresh = value) }, 'dvms', { scope: 'all' });
  assert.deepEqual(fresh, { subject: 'dvms', ui: { scope: 'all' } }, 'a page the user never touched can still be restored');
});
