// `npm test`: builds, type-checks, then runs every test level with node's test runner:
//   unit         test/unit/*.test.ts          (no vscode, no network)
//   integration  test/integration/*.test.ts   (the engine against a real relay and the replay node on loopback)
//   e2e          test/e2e/*.test.ts           (real VS Code: code-server + Chromium; installs code-server if missing)
// `node test/run.mjs unit` (or integration, e2e) runs one level. Ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const levels = ['unit', 'integration', 'e2e'];
const wanted = process.argv.slice(2).filter((arg) => levels.includes(arg));
const selected = wanted.length > 0 ? wanted : levels;

function step(title, command, args, options = {}) {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  console.log(`=== ${title}: ${result.status === 0 ? 'ok' : `failed (exit ${result.status ?? result.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

function testFiles(level) {
  const dir = path.join(root, 'test', level);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((name) => name.endsWith('.test.ts')).sort().map((name) => path.join('test', level, name));
}

let passed = 0;
let failed = 0;
let setupOk = true;

if (!step('build', process.execPath, ['esbuild.mjs'])) setupOk = false;
if (setupOk && !step('type-check', process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'])) setupOk = false;
if (setupOk && fs.existsSync(path.join(root, 'webview/tsconfig.json')) &&
  !step('type-check webviews', process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'webview/tsconfig.json'])) setupOk = false;
if (setupOk && selected.includes('e2e') && !step('code-server', 'bash', ['test/support/install-code-server.sh', '--with-chromium'])) setupOk = false;

if (!setupOk) {
  failed++;
} else {
  for (const level of selected) {
    const files = testFiles(level);
    if (files.length === 0) continue;
    const tap = path.join(os.tmpdir(), `swarmscope-${level}-${process.pid}.tap`);
    // e2e files each drive a whole VS Code and a browser: one at a time on a 2-core machine.
    const concurrency = level === 'e2e' ? ['--test-concurrency=1'] : [];
    step(`${level} tests (${files.length} files)`, process.execPath, [
      '--import', 'tsx', '--test', ...concurrency,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ], { env: { ...process.env, SWARMSCOPE_TEST_LEVEL: level } });
    const summary = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
    const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
    passed += count('pass');
    failed += count('fail') + count('cancelled');
    if (!summary) failed++;
    fs.rmSync(tap, { force: true });
  }
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
