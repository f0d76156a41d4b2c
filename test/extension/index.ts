import Mocha from 'mocha';
import { format } from 'node:util';
import { defineActivationSuite } from './activation.test';
import { defineCommandsSuite } from './commands.test';
import { defineCrashRestartSuite } from './crashRestart.test';
import { defineSettingsSuite } from './settings.test';

/**
 * The in-VS Code test entry, with the `run()` contract of @vscode/test-electron: VS Code loads this module (given as
 * extensionTestsPath) into the extension host and waits on `run()`; a rejection is a failed run.
 * esbuild bundles the suites into dist/test/extensionSuite.js, so they are imported here, not found by a glob;
 * mocha stays external and is resolved from node_modules.
 */
export function run(): Promise<void> {
  // Reporters print through Base.consoleLog with printf-style arguments; code-server forwards console arguments
  // unformatted ("%s%s,  ,activation"), so hand it one finished line instead.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  // What `mocha.addFile` would do per file: put suite/test/setup/teardown on globalThis for the definitions below.
  mocha.suite.emit('pre-require', globalThis, 'extensionSuite', mocha);
  defineActivationSuite();
  defineCommandsSuite();
  defineSettingsSuite();
  // Last: it restarts the engine under the other suites' feet otherwise.
  defineCrashRestartSuite();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
  });
}
