import * as fs from 'node:fs';
import * as path from 'node:path';
import { codeServerState, QUIET_SETTINGS } from './codeServer';

/**
 * What `npm start` (launch.ts) runs, and the folders and settings it prepares first. Everything it writes is under
 * `toolsDir` (the repository's .tools/): code-server's config, user data and extensions, the XDG folders, npm's cache
 * and logs. Apart from launch.ts so that a test can build it with HOME elsewhere and see nothing else written.
 */
export interface LaunchPlan {
  /** The environment of every command launch runs (installs, packaging, code-server). */
  readonly env: NodeJS.ProcessEnv;
  readonly workspace: string;
  readonly url: string;
  /** code-server's arguments to install a .vsix. */
  installArgs(vsix: string): string[];
  /** code-server's arguments to serve the workbench. */
  readonly serverArgs: string[];
}

export function prepareLaunch(options: { readonly toolsDir: string; readonly port: number; readonly baseEnv: NodeJS.ProcessEnv }): LaunchPlan {
  const stateDir = path.join(options.toolsDir, 'run');
  const state = codeServerState(stateDir);
  const workspace = path.join(stateDir, 'workspace');
  for (const dir of [...state.dirs, workspace]) fs.mkdirSync(dir, { recursive: true });
  const settingsFile = path.join(state.userDataDir, 'User', 'settings.json');
  // The workspace sits inside this repository; without this VS Code offers to open the parent git repository.
  // Written once: later runs keep what the user changed.
  if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, JSON.stringify({ ...QUIET_SETTINGS, 'git.openRepositoryInParentFolders': 'never' }, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...options.baseEnv,
    ...state.env,
    // npm keeps its cache and its logs in ~/.npm otherwise.
    npm_config_cache: path.join(options.toolsDir, 'npm-cache'),
  };
  return {
    env,
    workspace,
    url: `http://127.0.0.1:${options.port}/?folder=${encodeURIComponent(workspace)}`,
    installArgs: (vsix) => [...state.args, '--install-extension', vsix, '--force'],
    serverArgs: [
      '--bind-addr', `127.0.0.1:${options.port}`, '--auth', 'none', '--cert', 'false', ...state.args,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', workspace,
    ],
  };
}
