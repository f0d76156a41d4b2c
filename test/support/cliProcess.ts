// runCli now lives in cliRun.ts beside the other CLI runners. test/e2e/subnetPanel.test.ts still imports it from
// here and is being edited by someone else right now; delete this file once that import moves.
export { runCli, type CliRun } from './cliRun';
