// `npm run bench [area …]`: prints measured figures for the bars the issues name. No assertions: a benchmark
// reports, the tests decide. Areas: foundation, activation, nostr, bittensor, weights, trace, metagraph, playground, pages, store (all when none is named);
// store-archive only when named.
import { runFoundationBench } from './foundationBench';

type Bench = (print: (line: string) => void) => Promise<void>;

const areas: Record<string, () => Promise<Bench>> = {
  foundation: async () => runFoundationBench,
  activation: async () => (await import('./activationBench')).runActivationBench,
  nostr: async () => {
    const [{ runNostrIngestBench }, { runNostrLatencyBench }, { runHistoryBackfillBench }] = await Promise.all([
      import('./nostrIngestBench'), import('./nostrLatencyBench'), import('./historyBackfillBench'),
    ]);
    return async (print) => {
      await runNostrIngestBench(print);
      await runNostrLatencyBench(print);
      await runHistoryBackfillBench(print);
    };
  },
  bittensor: async () => (await import('./bittensorBench')).runBittensorBench,
  shared: async () => (await import('./sharedEngineBench')).runSharedEngineBench,
  weights: async () => (await import('./weightsBench')).runWeightsBench,
  trace: async () => (await import('./traceBench')).runTraceBench,
  playground: async () => (await import('./playgroundBench')).runPlaygroundBench,
  pages: async () => (await import('./pagesBench')).runPagesBench,
  metagraph: async () => (await import('./metagraphBench')).runMetagraphBench,
  store: async () => (await import('./storeBench')).runStoreBench,
  'store-archive': async () => (await import('./storeArchiveBench')).runStoreArchiveBench,
};
/** Areas that take many minutes: run when named, never as part of "all". */
const ONLY_WHEN_NAMED = new Set(['store-archive']);

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(areas).filter((name) => !ONLY_WHEN_NAMED.has(name));
  for (const name of names) {
    const load = areas[name];
    if (!load) {
      console.error(`unknown bench area ${JSON.stringify(name)}; areas: ${Object.keys(areas).join(', ')}`);
      process.exit(2);
    }
    console.log(`\n## bench ${name}`);
    await (await load())((line) => console.log(line));
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
