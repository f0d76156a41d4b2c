import { randomBytes } from 'node:crypto';
import { validateSettings, type Settings, type SettingError } from '../core/config/settings';
import { AlertStateRepo } from '../core/store/alertStateRepo';
import { collectingSince } from '../core/store/collectingSinceQuery';
import { coreMigrations } from '../core/store/coreMigrations';
import { DroppedCountRepo } from '../core/store/droppedCountRepo';
import { PinRepo } from '../core/store/pinRepo';
import { Store } from '../core/store/store';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import type {
  CollectorStatus, EngineMethod, EngineNotification, EngineStartParams, EngineStatus, ParamsOf, ResultOf,
} from '../protocol/engineProtocol';
import type { EngineContext, EngineModule, EngineModuleFactory, Handler, Handlers } from './engineModule';
import { importEventsFile } from './importEventsFile';
import { ENGINE_MODULES } from './modules';

export interface EngineOptions {
  readonly notify: (notification: EngineNotification) => void;
  readonly log: Logger;
  readonly modules?: readonly EngineModuleFactory[];
  /** How often retention, rollups and the size budget run. */
  readonly maintenanceIntervalMs?: number;
}

/**
 * Collectors plus store, with no `vscode` import: the worker hosts one, and so does the CLI (in-process).
 * Everything outside reaches it only through `call`, with the methods of the engine protocol.
 */
export class Engine {
  private readonly modules: EngineModule[] = [];
  private readonly handlers: Handlers = {};
  private readonly notices: string[] = [];
  private settingErrors: readonly SettingError[] = [];
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private state: EngineStatus['state'] = 'starting';
  private readyMs = 0;
  private disposed = false;
  private readonly pins: PinRepo;
  private readonly alerts: AlertStateRepo;
  private readonly collectingSince: number | undefined;
  /** Dropped counts live in the database, so `status` shows them across runs (issue 8). */
  private readonly dropped: DroppedCountRepo;

  private constructor(
    private readonly store: Store,
    private settings: Settings,
    private readonly options: EngineOptions,
    private readonly startedAt: number,
  ) {
    this.pins = new PinRepo(store.db);
    this.alerts = new AlertStateRepo(store.db);
    this.collectingSince = collectingSince(store.db);
    this.dropped = new DroppedCountRepo(store.db);
  }

  static async start(params: EngineStartParams, options: EngineOptions): Promise<Engine> {
    const started = performance.now();
    const factories = options.modules ?? ENGINE_MODULES;
    const { settings, errors } = validateSettings(params.settings);
    const migrations = [...coreMigrations, ...factories.flatMap((factory) => factory.migrations)];
    const { store, notices } = await Store.open({ path: params.dbPath, migrations });
    const engine = new Engine(store, settings, options, Date.now());
    engine.settingErrors = errors;
    for (const notice of notices) engine.report(notice.level === 'error' ? 'error' : 'warn', notice.message, true);
    for (const error of errors) engine.report('warn', `Setting ${error.key}: ${error.message}`, false);
    engine.registerCoreHandlers(params.debugMethods ?? false);
    const context = engine.context();
    for (const factory of factories) {
      const module = factory.create(context);
      engine.modules.push(module);
      Object.assign(engine.handlers, module.handlers);
    }
    if (params.collect) {
      for (const module of engine.modules) {
        module.startCollecting?.().catch((error) => engine.report('error', `collector failed to start: ${describeError(error)}`, false));
      }
      const testInterval = params.debugMethods ? params.maintenanceIntervalMs : undefined;
      engine.maintenanceTimer = setInterval(() => engine.maintain(), options.maintenanceIntervalMs ?? testInterval ?? 60_000);
      engine.maintenanceTimer.unref?.();
    }
    engine.state = 'ready';
    engine.readyMs = performance.now() - started;
    engine.publishStatus();
    return engine;
  }

  async call<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const handler = this.handlers[method] as Handler<M> | undefined;
    if (!handler) throw new Error(`unknown engine method ${method}`);
    return handler(params);
  }

  status(): EngineStatus {
    const collectors: CollectorStatus[] = this.modules.flatMap((module) => module.collectorStatus?.() ?? []);
    return {
      state: this.state,
      startedAt: this.startedAt,
      readyMs: this.readyMs,
      dbPath: this.store.path,
      dbBytes: this.store.usedBytes(),
      lastFlushMs: this.store.lastFlush?.ms,
      lastFlushError: this.store.lastFlushError,
      collectors,
      dropped: this.dropped.all(),
      settingErrors: this.settingErrors,
      notices: [...this.notices],
      coverage: {
        collectingSince: this.collectingSince, rawWindowHours: this.settings.rawWindowHours,
        backfillDays: Math.min(this.settings.backfillDays, this.settings.historyDays),
      },
    };
  }

  /** Retention, rollups, then the size budget: oldest raw data first, pinned data never. */
  maintain(now = Math.floor(Date.now() / 1000)): void {
    for (const module of this.modules) {
      try {
        module.maintain?.(now);
      } catch (error) {
        this.report('error', `maintenance failed: ${describeError(error)}`, false);
      }
    }
    this.enforceBudget();
  }

  private enforceBudget(): void {
    const budget = this.settings.sizeBudgetMB * 1024 * 1024;
    let over = this.store.usedBytes() - budget;
    if (over <= 0) return;
    let removed = 0;
    for (const module of this.modules) {
      if (over <= 0) break;
      removed += module.evictOldest?.(over) ?? 0;
      over = this.store.usedBytes() - budget;
    }
    if (removed > 0) {
      this.store.vacuum();
      this.store.markDirty();
      this.report('info', `size budget: evicted ${removed} oldest rows; database now ${this.store.usedBytes()} bytes`, false);
    }
    if (over > 0) this.report('warn', `the database is ${over} bytes over its size budget and only pinned data is left to evict`, false);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.state = 'stopping';
    clearInterval(this.maintenanceTimer);
    for (const module of [...this.modules].reverse()) {
      await module.dispose().catch((error) => this.report('error', `dispose failed: ${describeError(error)}`, false));
    }
    await this.store.close();
  }

  private context(): EngineContext {
    return {
      store: this.store,
      pins: this.pins,
      alerts: this.alerts,
      log: this.options.log,
      settings: () => this.settings,
      notify: (notification) => this.options.notify(notification),
      countDropped: (reason, count = 1) => {
        this.dropped.add(reason, count);
        this.store.markDirty();
      },
    };
  }

  private report(level: 'info' | 'warn' | 'error', message: string, keepAsNotice: boolean): void {
    if (keepAsNotice) this.notices.push(message);
    this.options.log.log(level, message);
  }

  private publishStatus(): void {
    this.options.notify({ topic: 'engine.status', payload: this.status() });
  }

  private registerCoreHandlers(debugMethods: boolean): void {
    const pins = this.pins;
    const core: Handlers = {
      'engine.start': () => {
        throw new Error('the engine is already started');
      },
      'engine.status': () => this.status(),
      'engine.configure': ({ settings: raw }) => {
        const { settings, errors } = validateSettings(raw);
        const previous = this.settings;
        this.settings = settings;
        this.settingErrors = errors;
        for (const error of errors) this.report('warn', `Setting ${error.key}: ${error.message}`, false);
        for (const module of this.modules) module.onSettings?.(settings, previous);
        this.publishStatus();
        return { errors };
      },
      'engine.flush': async () => {
        const result = await this.store.flush();
        this.publishStatus();
        return { bytes: result.bytes, ms: result.ms };
      },
      'engine.pins': () => pins.list().map((pin) => ({ domain: pin.domain, key: pin.key, label: pin.label })),
      'engine.pin': ({ domain, key, label, pinned }) => {
        if (pinned) pins.add(domain, key, label);
        else pins.remove(domain, key);
        this.store.markDirty();
        // Other windows that share this engine show the watch too.
        this.options.notify({ topic: 'engine.pinsChanged', payload: { domain, key, pinned } });
        return { ok: true };
      },
      'engine.importEvents': ({ file }) => importEventsFile(String(file), {
        ingest: (events) => this.call('nostr.ingest', { events }), notify: (notification) => this.options.notify(notification), log: this.options.log,
      }),
      'engine.stop': async () => {
        await this.dispose();
        return { ok: true };
      },
    };
    Object.assign(this.handlers, core, debugMethods ? this.debugHandlers() : {});
  }

  /** Only with EngineStartParams.debugMethods (tests, benchmarks). */
  private debugHandlers(): Handlers {
    return {
      'engine.debugCrash': () => {
        setImmediate(() => {
          throw new Error('crash requested by engine.debugCrash');
        });
        return new Promise<never>(() => undefined);
      },
      'engine.debugFill': async ({ megabytes }) => {
        const db = this.store.db;
        db.run('CREATE TABLE IF NOT EXISTS debug_filler (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)');
        const statement = db.prepare('INSERT INTO debug_filler (payload) VALUES (?)');
        const chunk = 64 * 1024;
        db.run('BEGIN');
        for (let i = 0; i < Math.ceil((megabytes * 1024 * 1024) / chunk); i++) statement.run([randomBytes(chunk)]);
        db.run('COMMIT');
        statement.free();
        const result = await this.store.flush();
        return { bytes: result.bytes };
      },
    };
  }
}
