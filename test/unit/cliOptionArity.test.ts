import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagGroups, flagList, optionsHelp, parseArgs, UsageError } from '../../src/cli/cliOptions';
import { postCommand } from '../../src/cli/postCommand';
import { runCliInProcess } from '../support/cliRun';

/** `post --param K V`: an option that takes two words, declared as such, and still never eats another option. */
describe('an option that takes two values', () => {
  const base = ['--input', 'hi', '--relay', 'ws://127.0.0.1:1'];

  it('keeps each use as one group, in order, beside the other options', () => {
    const args = parseArgs([...base, '--param', 'model', 'small', '--json', '--param', 'temperature', '0.7'], postCommand);
    assert.deepEqual(flagGroups(args, 'param', 2), [['model', 'small'], ['temperature', '0.7']]);
    assert.deepEqual(flagList(args, 'input'), ['hi']);
    assert.ok(args.flags.has('json'));
    assert.deepEqual(flagGroups(parseArgs(base, postCommand), 'param', 2), []);
  });

  it('refuses a missing second value, an option in its place, and --param=…', () => {
    const refused: [string[], RegExp][] = [
      [['--param', 'model'], /--param needs 2 values \(K V\)/],
      [['--param', 'model', '--json'], /--param needs 2 values/],
      [['--param=model', 'small'], /--param takes 2 values/],
    ];
    for (const [words, message] of refused) {
      assert.throws(() => parseArgs([...base, ...words], postCommand), (error: Error) => error instanceof UsageError && message.test(error.message), words.join(' '));
    }
  });

  it('help shows both placeholders; the CLI exits 2 on a half-given --param, naming it', async () => {
    assert.match(optionsHelp(postCommand), /--param K V …\s+a job parameter/);
    const run = await runCliInProcess(['post', ...base, '--db', ':memory:', '--param', 'model']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--param needs 2 values/);
    assert.equal(run.stdout, '');
  });
});
