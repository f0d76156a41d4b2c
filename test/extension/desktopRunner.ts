import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

/**
 * `npm run test:desktop`: the same in-VS Code suite (dist/test/extensionSuite.js) in a desktop VS Code that
 * @vscode/test-electron downloads. Needs a machine that reaches update.code.visualstudio.com; on the CI machines,
 * test/e2e/extensionTests.test.ts runs this suite in code-server instead.
 * SWARMSCOPE_VSCODE_EXECUTABLE=<path> uses a VS Code already installed instead of downloading one.
 * Bundled to dist/test/desktopRunner.js, so the repository root is two folders up.
 */
const repoRoot = path.resolve(__dirname, '..', '..');

/** The same offline settings as the code-server runs: no relays, a closed loopback subtensor port. */
const userSettings = {
  'workbench.startupEditor': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'swarmscope.nostr.relays': [],
  'swarmscope.bittensor.endpoint': 'ws://127.0.0.1:9',
  'swarmscope.bittensor.archiveEndpoint': '',
};

async function main(): Promise<number> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-desktop-'));
  const userDataDir = path.join(root, 'user-data');
  const workspace = path.join(root, 'workspace');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(workspace, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  try {
    await runTests({
      version: process.env.SWARMSCOPE_VSCODE_VERSION ?? '1.100.3',
      vscodeExecutablePath: process.env.SWARMSCOPE_VSCODE_EXECUTABLE || undefined,
      // Downloads go beside code-server, in the git-ignored .tools/ (the default, .vscode-test/, is not ignored).
      cachePath: path.join(repoRoot, '.tools', 'vscode-test'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'dist', 'test', 'extensionSuite.js'),
      extensionTestsEnv: { SWARMSCOPE_TEST_USER_DATA_DIR: userDataDir, SWARMSCOPE_DEBUG_METHODS: '1' },
      launchArgs: [
        workspace, '--user-data-dir', userDataDir, '--extensions-dir', path.join(root, 'extensions'),
        '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      ],
    });
    return 0;
  } catch (error) {
    console.error(`desktop extension tests failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  }
}

main().then((code) => process.exit(code));
