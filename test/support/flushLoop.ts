// Child process for the interrupted-flush test: fills a database, then flushes it over and over, each time with a
// new generation number, printing "flushed N" after each flush has returned. The test kills it at random moments.
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';

async function main(): Promise<void> {
  const [file, megabytes] = [process.argv[2], Number(process.argv[3] ?? '8')];
  const { store } = await Store.open({ path: file, migrations: coreMigrations });
  store.db.run('CREATE TABLE IF NOT EXISTS filler (payload BLOB)');
  const chunk = new Uint8Array(64 * 1024).map((_, i) => (i * 7919) % 251);
  store.db.run('BEGIN');
  for (let i = 0; i < (megabytes * 1024 * 1024) / chunk.length; i++) store.db.run('INSERT INTO filler VALUES (?)', [chunk]);
  store.db.run('COMMIT');
  for (let generation = 1; ; generation++) {
    store.db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)", [String(generation)]);
    await store.flush();
    process.stdout.write(`flushed ${generation}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
