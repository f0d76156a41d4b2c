import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { CODE_SERVER_BIN, codeServerInstalled, REPO_ROOT } from '../support/codeServer';
import { prepareLaunch } from '../support/launchPlan';
import { ensureVsix } from './freshBuild';

/**
 * `npm start` keeps to .tools/ (issue 9, item 11): with HOME and TMPDIR pointed at empty folders, the launch plan is
 * built and the real code-server installs the real .vsix as launch.ts does it, and the installer runs as `npm start`
 * runs it; then nothing exists outside the .tools/ folder given. The installer sees a dpkg that knows no package
 * and an apt-get that only writes down what it was asked: with code-server installed, `npm start` needs nothing
 * from Debian (Chromium is the e2e tests' need), so apt-get must not be asked at all. code-server is not reinstalled.
 */

let root: string;
let home: string;
let tmp: string;
let tools: string;
let stubs: string;
let aptLog: string;

/** Every file and folder under `dir`, relative to it. */
function entries(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

before(() => {
  assert.ok(codeServerInstalled(), `code-server is installed at ${CODE_SERVER_BIN} (npm test installs it first)`);
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-launch-'));
  home = path.join(root, 'home');
  tmp = path.join(root, 'tmp');
  tools = path.join(root, 'repo', '.tools');
  stubs = path.join(root, 'stubs');
  aptLog = path.join(root, 'apt-get.log');
  for (const dir of [home, tmp, stubs]) fs.mkdirSync(dir, { recursive: true });
  // Debian's package tools, as seen on a machine where nothing is installed.
  fs.writeFileSync(path.join(stubs, 'dpkg'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
  fs.writeFileSync(path.join(stubs, 'apt-get'), `#!/bin/sh\necho "$@" >> '${aptLog}'\n`, { mode: 0o755 });
  // As root, so that the installer would install what it finds missing rather than only name it.
  fs.writeFileSync(path.join(stubs, 'id'), '#!/bin/sh\necho 0\n', { mode: 0o755 });
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

/** The environment `npm start` would run in for someone whose home folder is `home`. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: tmp, PATH: `${stubs}:${process.env.PATH ?? ''}` };
  for (const key of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_CACHE_HOME', 'CODE_SERVER_CONFIG', 'npm_config_cache']) delete env[key];
  return env;
}

test('installing the extension into code-server as npm start does writes only under .tools/', { timeout: 300_000 }, () => {
  const vsix = ensureVsix();
  const plan = prepareLaunch({ toolsDir: tools, port: 8080, baseEnv: userEnvironment() });
  const installed = spawnSync(CODE_SERVER_BIN, plan.installArgs(vsix), { env: plan.env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(installed.status, 0, `${installed.stdout}\n${installed.stderr}`);

  assert.deepEqual(entries(home), [], 'nothing in the home folder (code-server writes ~/.config/code-server/config.yaml unless told)');
  assert.deepEqual(fs.readdirSync(root).sort(), ['home', 'repo', 'stubs', 'tmp']);
  assert.deepEqual(fs.readdirSync(path.join(root, 'repo')), ['.tools']);
  const written = entries(tools);
  assert.ok(written.includes(path.join('run', 'config.yaml')), `code-server's config is in .tools/run: ${written.slice(0, 20).join(', ')}`);
  assert.ok(written.some((entry) => entry.startsWith(path.join('run', 'extensions', 'swarmscope.swarmscope-'))), 'the extension is in .tools/run/extensions');
  assert.match(plan.serverArgs.join(' '), new RegExp(`--config ${tools}/run/config\\.yaml .*--user-data-dir ${tools}/run/user-data`));
});

test('the installer asks Debian for nothing when code-server is there: Chromium is only for the e2e tests', { timeout: 60_000 }, () => {
  const script = path.join(REPO_ROOT, 'test', 'support', 'install-code-server.sh');
  const result = spawnSync('bash', [script], { env: userEnvironment(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /code-server 4\.100\.3 already installed/);
  assert.equal(fs.existsSync(aptLog), false, `apt-get was asked: ${fs.existsSync(aptLog) ? fs.readFileSync(aptLog, 'utf8') : ''}`);
  assert.deepEqual(entries(home), []);

  // The e2e tests' own call does want Chromium, and says so to apt-get.
  const forTests = spawnSync('bash', [script, '--with-chromium'], { env: userEnvironment(), encoding: 'utf8', timeout: 60_000 });
  assert.equal(forTests.status, 0, `${forTests.stdout}\n${forTests.stderr}`);
  assert.match(fs.readFileSync(aptLog, 'utf8'), /install .*\bchromium\b/);
});
