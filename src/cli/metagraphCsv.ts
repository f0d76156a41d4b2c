// The CSV moved to src/core/bittensor/metagraphCsv.ts (the subnet panel uses it too); test/e2e/subnetPanel.test.ts
// still imports it from here, and is being edited by someone else right now. Delete once that import moves.
export { METAGRAPH_CSV_COLUMNS, metagraphCsv } from '../core/bittensor/metagraphCsv';
