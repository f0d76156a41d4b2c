import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCliInProcess } from '../support/cliRun';
import { startReplayNode, type ReplayNode } from '../support/replayNode';
import { CONTROL_CHARACTERS } from '../support/xssPayloads';
import { startHostileErrorProxy, type HostileErrorProxy } from '../support/xssRpcProxy';

/**
 * Issue 8, defect 7 on stderr: a subtensor node's error message is printed in the CLI's error line. A hostile node
 * (the replay node behind a proxy that rewrites its error answers) puts a clear-screen, a window title and a line
 * break in it; the terminal gets the words, not the controls (the line break stays a line break).
 */

const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202a-\u202e\u2066-\u2069]/;

describe('CLI error lines quoting a node strip terminal control characters', () => {
  let node: ReplayNode;
  let proxy: HostileErrorProxy;

  before(async () => {
    node = await startReplayNode({ seed: 'weights' });
    proxy = await startHostileErrorProxy({
      target: node.url, methods: ['state_getKeysPaged', 'state_getKeysPagedAt'], message: `hostile node${CONTROL_CHARACTERS} says no`,
    });
  });

  after(async () => {
    await proxy?.stop();
    await node?.stop();
  });

  it('weights --netuid of a subnet the node refuses: exit 1, the node\'s words without its controls', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['weights', '--netuid', '99', '--endpoint', proxy.url, '--db', ':memory:']);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.ok(proxy.rewritten > 0, 'the node answered with the hostile error');
    assert.doesNotMatch(stderr, TERMINAL_CONTROL, `stderr carries control characters: ${JSON.stringify(stderr)}`);
    assert.match(stderr, /^swarmscope weights: .*hostile node\n says no\n$/, JSON.stringify(stderr));
  });
});
