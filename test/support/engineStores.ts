import type { EngineStartParams } from '../../src/protocol/engineProtocol';
import { createDatabase, startPostgres, type PostgresServer } from './postgresServer';

/**
 * The two stores an engine can open (issue 14), for integration suites that run once on each:
 *
 *   for (const store of ENGINE_STORES) describe(`… on ${store.kind}`, () => { … after(() => store.stop()); });
 *
 * `create()` gives one engine start its store; pass the same params again to reopen that store in a later engine.
 * PostgreSQL costs one private server per test file (started on the first `create`, about a second) and a fresh
 * database per store (milliseconds), so a suite's engines never see each other's rows on either store.
 */

export type EngineStoreParams = Pick<EngineStartParams, 'dbPath' | 'store'>;

export interface EngineStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * A new, empty store. `file` is where sql.js keeps it (undefined: in memory, gone with the engine); PostgreSQL
   * ignores it and always gives a new database, which outlives the engine as a file does.
   */
  create(file?: string): Promise<EngineStoreParams>;
  /** Releases what `create` started (the PostgreSQL server); call it in the suite's `after`. */
  stop(): Promise<void>;
}

const sqliteStore: EngineStore = {
  kind: 'sqlite',
  create: async (file) => ({ dbPath: file }),
  stop: async () => undefined,
};

function postgresStore(): EngineStore {
  let server: Promise<PostgresServer> | undefined;
  return {
    kind: 'postgres',
    create: async () => {
      server ??= startPostgres();
      return { dbPath: undefined, store: { url: await createDatabase(await server) } };
    },
    stop: async () => {
      if (server) await (await server).stop();
      server = undefined;
    },
  };
}

export const ENGINE_STORES: readonly EngineStore[] = [sqliteStore, postgresStore()];
