import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs } from '../../src/cli/cliOptions';
import { collectCommand } from '../../src/cli/collectCommand';
import { COMMANDS } from '../../src/cli/commandTable';
import { ingestCommand } from '../../src/cli/ingestCommand';
import { runCliInProcess } from '../support/cliRun';

/** Every option is declared by its command: an unknown word is an error, and a switch never eats the next word. */

describe('swarmscope CLI options', () => {
  let dir: string;
  let defaultDb: string;
  const savedDb = process.env.SWARMSCOPE_DB;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-cli-options-'));
    // A command that ignored --db would open this one; it must stay absent.
    defaultDb = path.join(dir, 'default.db');
    process.env.SWARMSCOPE_DB = defaultDb;
  });
  after(() => {
    if (savedDb === undefined) delete process.env.SWARMSCOPE_DB;
    else process.env.SWARMSCOPE_DB = savedDb;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an unknown option is an error (exit 2) naming it and listing the command\'s options, and nothing runs', async () => {
    const db = path.join(dir, 'metrics.db');
    const run = await runCliInProcess(['metrics', '--foo', 'bar', '--db', db]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /unknown option --foo/);
    for (const option of ['--now UNIX', '--db PATH', '--json', '--verbose']) assert.ok(run.stderr.includes(option), `lists ${option}:\n${run.stderr}`);
    assert.equal(fs.existsSync(db), false, 'the command did not run');
  });

  it('a flag the command does not know does not take the next word: --db X after it still names the database', async () => {
    const chosen = path.join(dir, 'chosen.db');
    const run = await runCliInProcess(['metagraph', '--netuid', '1', '--xml', '--db', chosen]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown option --xml/);
    assert.equal(fs.existsSync(defaultDb), false, 'the default database was not opened in place of --db');
  });

  it('switches and valued options are read by their declaration', async () => {
    assert.deepEqual(parseArgs(['--json', '--duration', '5', '--relay', 'ws://a', '--relay=ws://b'], collectCommand), {
      positionals: [],
      flags: new Map([['json', ['true']], ['duration', ['5']], ['relay', ['ws://a', 'ws://b']]]),
    });
    // `--` ends the options: a file named like an option can still be given.
    assert.deepEqual(parseArgs(['--json', '--', '--odd.json'], ingestCommand).positionals, ['--odd.json']);
    for (const [argv, error] of [
      [['status', '--json=yes'], /--json is a switch and takes no value/],
      [['status', '--db'], /--db needs a value \(PATH\)/],
      [['status', '--db', '--json'], /--db needs a value/],
      [['status', '--db', 'a.db', '--db', 'b.db'], /--db is given more than once/],
      [['metrics', 'extra'], /unexpected argument "extra"/],
      [['ingest'], /missing FILE/],
      [['metagraph'], /--netuid N is required/],
      [['status', '-x'], /unknown option -x/],
    ] as const) {
      const run = await runCliInProcess([...argv]);
      assert.equal(run.code, 2, argv.join(' '));
      assert.match(run.stderr, error, argv.join(' '));
    }
    assert.equal(fs.existsSync(defaultDb), false);
  });

  it('help COMMAND lists every option from the same declaration the parser reads', async () => {
    for (const command of COMMANDS) {
      const run = await runCliInProcess(['help', command.name]);
      assert.equal(run.code, 0);
      for (const option of command.options) {
        const syntax = option.value === undefined ? `--${option.name}` : `--${option.name} ${option.value}`;
        assert.ok(run.stdout.includes(syntax) && run.stdout.includes(option.help), `help ${command.name} lists ${syntax}:\n${run.stdout}`);
      }
      for (const common of ['--db PATH', '--json', '--verbose']) assert.ok(run.stdout.includes(common), `help ${command.name} lists ${common}`);
    }
    const snapshot = await runCliInProcess(['snapshot', '--help']);
    assert.match(snapshot.stdout, /Usage: swarmscope snapshot --netuid N \[options\]/);
    assert.match(snapshot.stdout, /--block B/);
  });
});
