// `npm start`: builds and packages Swarmscope, installs it into a local code-server (VS Code 1.100.3) on
// 127.0.0.1 and prints the URL to open. It runs on the public defaults (public relays, finney) unless your
// settings say otherwise. State lives in .tools/run/ so your settings and database survive restarts.
// Options: PORT (default 8080). Stop with Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_BIN, QUIET_SETTINGS, REPO_ROOT } from './codeServer';

const port = Number(process.env.PORT ?? '8080');
const home = path.join(REPO_ROOT, '.tools', 'run');
const userDataDir = path.join(home, 'user-data');
const extensionsDir = path.join(home, 'extensions');
const workspace = path.join(home, 'workspace');

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm start: ${command} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

run('bash', ['test/support/install-code-server.sh']);
run('npm', ['run', '--silent', 'package']);
for (const dir of [path.join(userDataDir, 'User'), extensionsDir, workspace]) fs.mkdirSync(dir, { recursive: true });
const settingsFile = path.join(userDataDir, 'User', 'settings.json');
// The workspace sits inside this repository; without this VS Code offers to open the parent git repository.
const launchSettings = { ...QUIET_SETTINGS, 'git.openRepositoryInParentFolders': 'never' };
if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, JSON.stringify(launchSettings, null, 2));
const env = { ...process.env, XDG_CONFIG_HOME: path.join(home, 'xdg-config'), XDG_DATA_HOME: path.join(home, 'xdg-data'), PASSWORD: '', HASHED_PASSWORD: '' };
const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
run(CODE_SERVER_BIN, [...common, '--install-extension', path.join(REPO_ROOT, 'dist', 'swarmscope.vsix'), '--force']);

const server = spawn(CODE_SERVER_BIN, [
  '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--cert', 'false', ...common,
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace,
], { env, stdio: ['ignore', 'inherit', 'inherit'] });
console.log(`\nSwarmscope is running in VS Code at http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
console.log('Open it in a browser; the Swarmscope icon is in the activity bar. Ctrl-C stops it.\n');
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
