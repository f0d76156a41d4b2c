// `npm start`: builds and packages Swarmscope, installs it into a local code-server (VS Code 1.100.3) on
// 127.0.0.1 and prints the URL to open. It runs on the public defaults (public relays, finney) unless your
// settings say otherwise. Everything it installs or writes stays in .tools/ (state in .tools/run/, so your settings
// and database survive restarts; see launchPlan.ts). Options: PORT (default 8080). Stop with Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CODE_SERVER_BIN, REPO_ROOT } from './codeServer';
import { prepareLaunch } from './launchPlan';

const port = Number(process.env.PORT ?? '8080');
const plan = prepareLaunch({ toolsDir: path.join(REPO_ROOT, '.tools'), port, baseEnv: process.env });

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit', env: plan.env });
  if (result.status !== 0) {
    console.error(`npm start: ${command} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

// code-server only: Chromium is for the e2e tests (install-code-server.sh --with-chromium).
run('bash', ['test/support/install-code-server.sh']);
run('npm', ['run', '--silent', 'package']);
run(CODE_SERVER_BIN, plan.installArgs(path.join(REPO_ROOT, 'dist', 'swarmscope.vsix')));

const server = spawn(CODE_SERVER_BIN, plan.serverArgs, { env: plan.env, stdio: ['ignore', 'inherit', 'inherit'] });
console.log(`\nSwarmscope is running in VS Code at ${plan.url}`);
console.log('Open it in a browser; the Swarmscope icon is in the activity bar. Ctrl-C stops it.\n');
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
