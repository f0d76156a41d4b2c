import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Launches code-server 4.100.3 (VS Code 1.100.3 in a real extension host) on loopback for e2e tests.
 * Everything it writes (user data, extensions, XDG config/data) goes to one temp folder that `stop()` deletes, so a
 * run never touches the home folder and never sees a previous run's state. See ../shared/TESTING.md "Real VS Code".
 */

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CODE_SERVER_BIN = path.join(REPO_ROOT, '.tools', 'code-server', 'node_modules', '.bin', 'code-server');

/** User settings that keep VS Code from reaching out or opening anything on its own. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
};

/**
 * Swarmscope settings that keep every test off the internet: no relays, and a subtensor endpoint on a closed
 * loopback port (port 9, "discard", is closed on these machines: the collector just retries).
 */
export const OFFLINE_SWARMSCOPE_SETTINGS: Readonly<Record<string, unknown>> = {
  'swarmscope.nostr.relays': [],
  'swarmscope.bittensor.endpoint': 'ws://127.0.0.1:9',
  'swarmscope.bittensor.archiveEndpoint': '',
};

export interface CodeServerOptions {
  /** Folder to open; a fresh empty temp folder when omitted. */
  readonly workspace?: string;
  /** Merged over QUIET_SETTINGS. Must keep swarmscope.* on loopback (see OFFLINE_SWARMSCOPE_SETTINGS). */
  readonly userSettings: Readonly<Record<string, unknown>>;
  /** Load an extension from source (absolute path) through the workbench URL's `payload`. */
  readonly extensionDevelopmentPath?: string;
  /** A module with the `run()` contract of @vscode/test-electron (absolute path to the .js file). */
  readonly extensionTestsPath?: string;
  /** A .vsix installed with `--install-extension` before the server starts. */
  readonly vsix?: string;
  /** Extra environment for code-server and its extension host. */
  readonly env?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
}

export interface CodeServer {
  /** The workbench URL with folder (and payload, when given) already in its query. */
  readonly url: string;
  readonly port: number;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Everything code-server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Where code-server and the VS Code in it keep their own files: all inside `stateDir`. Left to itself, code-server
 * writes ~/.config/code-server/config.yaml on every start (even for `--version` or `--install-extension`),
 * ~/.local/share/code-server, and VS Code ~/.cache/Microsoft; and it reads a developer's PASSWORD. Every run of the
 * binary (install, list, serve) takes both the environment and the arguments.
 */
export function codeServerState(stateDir: string): {
  readonly env: Record<string, string>;
  readonly args: string[];
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** The folders to create before the first run. */
  readonly dirs: readonly string[];
} {
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const xdg = { XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'), XDG_DATA_HOME: path.join(stateDir, 'xdg-data'), XDG_CACHE_HOME: path.join(stateDir, 'xdg-cache') };
  return {
    env: {
      ...xdg,
      // code-server reads these as defaults for its flags; a developer's own values must not leak in.
      PASSWORD: '',
      HASHED_PASSWORD: '',
    },
    // --config too: a CODE_SERVER_CONFIG in the developer's environment would otherwise name another file.
    args: ['--config', path.join(stateDir, 'config.yaml'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir],
    userDataDir,
    extensionsDir,
    dirs: [path.join(userDataDir, 'User'), extensionsDir, ...Object.values(xdg)],
  };
}

export function codeServerInstalled(): boolean {
  return fs.existsSync(CODE_SERVER_BIN);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!codeServerInstalled()) {
    throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}: run bash test/support/install-code-server.sh`);
  }
  assertOffline(options.userSettings);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-code-server-'));
  const state = codeServerState(root);
  const { userDataDir, extensionsDir } = state;
  const workspace = options.workspace ?? path.join(root, 'workspace');
  for (const dir of [...state.dirs, workspace]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.userSettings }, null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...state.env,
    // The extension gallery is on the internet; point it at a closed loopback port (code-server reads this env).
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
    // The in-VS Code suite checks that the database sits in this folder's globalStorage (the extension host
    // inherits this environment).
    SWARMSCOPE_TEST_USER_DATA_DIR: userDataDir,
    // The in-VS Code suite crashes the engine on purpose (engine.debugCrash).
    SWARMSCOPE_DEBUG_METHODS: '1',
    ...options.env,
  };
  const common = state.args;
  let child: ChildProcess | undefined;
  const cleanup = () => fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  try {
    if (options.vsix) installVsix(options.vsix, common, env);
    const port = await freePort();
    child = spawn(CODE_SERVER_BIN, [
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--cert', 'false', ...common,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
      '--disable-proxy', '--ignore-last-opened', workspace,
    ], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = captureOutput(child);
    await waitForHealth(port, child, options.startTimeoutMs ?? 30_000, output);
    const server: CodeServer = {
      url: workbenchUrl(port, workspace, options),
      port,
      workspace,
      userDataDir,
      extensionsDir,
      output,
      stop: once(async () => {
        await killGroup(child!);
        cleanup();
      }),
    };
    return server;
  } catch (error) {
    if (child) await killGroup(child);
    cleanup();
    throw error;
  }
}

/** Refuses settings that would let the extension under test reach the internet. */
function assertOffline(settings: Readonly<Record<string, unknown>>): void {
  const relays = settings['swarmscope.nostr.relays'];
  const endpoint = settings['swarmscope.bittensor.endpoint'];
  const loopback = (value: unknown) => typeof value === 'string' && /^wss?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(value);
  if (!Array.isArray(relays) || !relays.every(loopback)) {
    throw new Error('code-server test settings must set swarmscope.nostr.relays to [] or loopback relays');
  }
  if (!loopback(endpoint)) throw new Error('code-server test settings must set swarmscope.bittensor.endpoint to a loopback URL');
  const archive = settings['swarmscope.bittensor.archiveEndpoint'];
  if (archive !== undefined && archive !== '' && !loopback(archive)) {
    throw new Error('code-server test settings must leave swarmscope.bittensor.archiveEndpoint empty or on loopback');
  }
}

function installVsix(vsix: string, common: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(CODE_SERVER_BIN, [...common, '--install-extension', vsix, '--force'], {
    env, encoding: 'utf8', timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`code-server --install-extension ${vsix} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** Workbench URL: `folder` opens the workspace, `payload` carries the extension development/test paths. */
function workbenchUrl(port: number, workspace: string, options: CodeServerOptions): string {
  const base = `http://127.0.0.1:${port}/`;
  const query = new URLSearchParams({ folder: workspace });
  const remote = (absolute: string) => `vscode-remote://127.0.0.1:${port}${absolute}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${base}?${query.toString()}`;
}

function captureOutput(child: ChildProcess): () => string {
  const chunks: string[] = [];
  let size = 0;
  const keep = (chunk: Buffer) => {
    chunks.push(chunk.toString('utf8'));
    size += chunk.length;
    // Bounded: a long run's log must not grow without limit; the tail is what explains a failure.
    while (size > 256_000 && chunks.length > 1) size -= chunks.shift()!.length;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => chunks.join('');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(port: number, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${output()}`);
    }
    if (await healthy(port)) return;
    await delay(150);
  }
  throw new Error(`code-server did not answer /healthz on 127.0.0.1:${port} within ${timeoutMs} ms:\n${output()}`);
}

function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** code-server forks its own server and extension hosts: signal the whole group (spawned detached). */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child.pid, 'SIGTERM');
  const graceful = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
  if (!graceful) {
    signalGroup(child.pid, 'SIGKILL');
    await Promise.race([exited, delay(2000)]);
  }
  // Grandchildren that outlived their parent still belong to the group.
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= action());
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
