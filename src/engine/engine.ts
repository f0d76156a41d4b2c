import { validateSettings, type Settings, type SettingError } from '../core/config/settings';
import type { RemoteChange } from '../core/store/remoteChange';
import type { Storage } from '../core/store/storage';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import { SerialQueue } from '../core/util/serialQueue';
import type {
  CollectorStatus, EngineMethod, EngineNotification, EngineStartParams, EngineStatus, ParamsOf, ResultOf,
} from '../protocol/engineProtocol';
import type { EngineContext, EngineModule, EngineModuleFactory, Handler, Handlers } from './engineModule';
import { EngineStateView } from './engineStateView';
import { importEventsFile } from './importEventsFile';
import { ENGINE_MODULES } from './modules';
import { openEngineStorage } from './openEngineStorage';
import { refuseIfReadOnly } from './readOnlyStore';

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
  private lifecycle: EngineStatus['state'] = 'starting';
  private readyMs = 0;
  private disposed = false;
  /**
   * Maintenance passes run one at a time, in the order asked. The timer skips a tick while one is queued or running:
   * a pass slower than the interval (a large team store) would otherwise pile passes up behind it.
   */
  private readonly maintenance = new SerialQueue();
  /** The storage's size as last measured (start, maintenance, flush, `engine.status`): `status()` stays synchronous. */
  private dbBytes = 0;
  /** Stops hearing other processes' writes to a shared store (a no-op on the embedded file). */
  private unsubscribeRemote: () => void = () => undefined;

  private constructor(
    private readonly storage: Storage,
    /** Pins, alerts and dropped counts (kept in the storage, so `status` shows drops across runs: issue 8). */
    private readonly state: EngineStateView,
    private readonly collectingSince: number | undefined,
    private settings: Settings,
    private readonly options: EngineOptions,
    private readonly startedAt: number,
  ) {}

  static async start(params: EngineStartParams, options: EngineOptions): Promise<Engine> {
    const started = performance.now();
    const factories = options.modules ?? ENGINE_MODULES;
    const { settings, errors } = validateSettings(params.settings);
    const { storage, notices } = await openEngineStorage(params, options.log);
    let engine: Engine | undefined;
    try {
      const state = await EngineStateView.load(storage.engineState, { log: options.log, markDirty: () => storage.markDirty(), readOnlyReason: storage.readOnlyReason });
      engine = new Engine(storage, state, await storage.engineState.collectingSince(), settings, options, Date.now());
      engine.dbBytes = await storage.usedBytes();
      engine.settingErrors = errors;
      for (const notice of notices) engine.report(notice.level === 'error' ? 'error' : 'warn', notice.message, true);
      for (const error of errors) engine.report('warn', `Setting ${error.key}: ${error.message}`, false);
      engine.registerCoreHandlers(params.debugMethods ?? false);
      const context = engine.context();
      for (const factory of factories) {
        const module = factory.create(context);
        engine.modules.push(module);
        Object.assign(engine.handlers, module.handlers);
        await module.open?.();
      }
    } catch (error) {
      // A team store holds connections (and a module may hold more): a start that failed must not leave them open.
      for (const module of [...(engine?.modules ?? [])].reverse()) await module.dispose().catch(() => undefined);
      await storage.close().catch(() => undefined);
      throw error;
    }
    // Each module forwards what other processes wrote to its own domain; a lost feed reloads every view.
    engine.unsubscribeRemote = storage.onRemoteChange?.((change) => engine.onRemoteChange(change)) ?? engine.unsubscribeRemote;
    if (params.collect) {
      if (storage.readOnlyReason !== undefined) {
        // A team's viewer (a role that may only SELECT): every write its collectors made would fail, again and again.
        // The team's collectors fill the store and this engine shows it as they write; maintenance still raises alerts.
        engine.report('info', `This team store may only be read here (${storage.readOnlyReason}): showing what the team's collectors store, collecting nothing here`, true);
      } else {
        for (const module of engine.modules) {
          module.startCollecting?.().catch((error) => engine.report('error', `collector failed to start: ${describeError(error)}`, false));
        }
      }
      const testInterval = params.debugMethods ? params.maintenanceIntervalMs : undefined;
      engine.maintenanceTimer = setInterval(() => {
        if (engine.maintenance.size === 0) void engine.maintain();
      }, options.maintenanceIntervalMs ?? testInterval ?? 60_000);
      engine.maintenanceTimer.unref?.();
    }
    engine.lifecycle = 'ready';
    engine.readyMs = performance.now() - started;
    engine.publishStatus();
    return engine;
  }

  async call<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const handler = this.handlers[method] as Handler<M> | undefined;
    if (!handler) throw new Error(`unknown engine method ${method}`);
    return handler(params);
  }

  /** Why the store may only be read here (Storage.readOnlyReason), or undefined: `collect` refuses to start then. */
  get storeReadOnlyReason(): string | undefined {
    return this.storage.readOnlyReason;
  }

  /** The database's size is as last measured; `engine.status` measures it first. */
  status(): EngineStatus {
    const collectors: CollectorStatus[] = this.modules.flatMap((module) => module.collectorStatus?.() ?? []);
    const saved = this.storage.saveState();
    return {
      state: this.lifecycle,
      startedAt: this.startedAt,
      readyMs: this.readyMs,
      dbPath: this.storage.location,
      store: { kind: this.storage.kind, location: this.storage.location },
      dbBytes: this.dbBytes,
      lastFlushMs: saved.lastSaveMs,
      lastFlushError: saved.lastSaveError,
      collectors,
      dropped: this.state.dropped.all(),
      settingErrors: this.settingErrors,
      notices: [...this.notices],
      coverage: {
        collectingSince: this.collectingSince, rawWindowHours: this.settings.rawWindowHours,
        backfillDays: Math.min(this.settings.backfillDays, this.settings.historyDays),
      },
    };
  }

  /** Retention, rollups, then the size budget: oldest raw data first, pinned data never. Passes run one at a time. */
  maintain(now = Math.floor(Date.now() / 1000)): Promise<void> {
    const pass = this.maintenance.run(() => this.maintainOnce(now));
    // A pass that failed in an unforeseen way rejects its own caller, and is reported too (the timer's caller drops
    // the promise); the queue runs the next one still.
    pass.catch((error) => this.report('error', `maintenance failed: ${describeError(error)}`, false));
    return pass;
  }

  private async maintainOnce(now: number): Promise<void> {
    if (this.disposed) return;
    for (const module of this.modules) {
      try {
        await module.maintain?.(now);
      } catch (error) {
        this.report('error', `maintenance failed: ${describeError(error)}`, false);
      }
    }
    await this.enforceBudget().catch((error) => this.report('error', `size budget failed: ${describeError(error)}`, false));
  }

  private async enforceBudget(): Promise<void> {
    this.dbBytes = await this.storage.usedBytes();
    // A team's server has no budget (Storage.sizeBudgeted): its retention windows alone decide what is kept.
    if (!this.storage.sizeBudgeted) return;
    const budget = this.settings.sizeBudgetMB * 1024 * 1024;
    let over = this.dbBytes - budget;
    if (over <= 0) return;
    let removed = 0;
    for (const module of this.modules) {
      if (over <= 0) break;
      removed += (await module.evictOldest?.(over)) ?? 0;
      over = (await this.storage.usedBytes()) - budget;
    }
    if (removed > 0) {
      await this.storage.compact();
      this.storage.markDirty();
      this.dbBytes = await this.storage.usedBytes();
      this.report('info', `size budget: evicted ${removed} oldest rows; database now ${this.dbBytes} bytes`, false);
    }
    if (over > 0) this.report('warn', `the database is ${over} bytes over its size budget and only pinned data is left to evict`, false);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.lifecycle = 'stopping';
    clearInterval(this.maintenanceTimer);
    // A maintenance pass under way finishes before the modules (and then the storage) close under it.
    this.disposed = true;
    this.unsubscribeRemote();
    await this.maintenance.idle();
    for (const module of [...this.modules].reverse()) {
      await module.dispose().catch((error) => this.report('error', `dispose failed: ${describeError(error)}`, false));
    }
    await this.state.settled();
    await this.storage.close();
  }

  private context(): EngineContext {
    return {
      storage: this.storage,
      pins: this.state.pins,
      alerts: this.state.alerts,
      log: this.options.log,
      settings: () => this.settings,
      notify: (notification) => this.options.notify(notification),
      countDropped: (reason, count = 1) => this.state.dropped.add(reason, count),
    };
  }

  /**
   * The modules' own `onRemoteChange` hears its domain; notices missed altogether make every view read again. Pins
   * another engine changed (or may have, while notices were missed) are read again here, and the views told.
   */
  private onRemoteChange(change: RemoteChange): void {
    if (this.disposed) return;
    if (change.domain === 'pins' || change.domain === 'all') {
      this.state.reloadPins().then((changes) => {
        for (const payload of this.disposed ? [] : changes) this.options.notify({ topic: 'engine.pinsChanged', payload });
      }, (error) => this.report('warn', `could not read the pins again: ${describeError(error)}`, false));
      if (change.domain === 'pins') return;
    }
    if (change.domain === 'all') {
      this.options.notify({ topic: 'engine.reload', payload: { domain: 'all' } });
      return;
    }
    for (const module of this.modules) module.onRemoteChange?.(change);
  }

  private report(level: 'info' | 'warn' | 'error', message: string, keepAsNotice: boolean): void {
    if (keepAsNotice) this.notices.push(message);
    this.options.log.log(level, message);
  }

  private publishStatus(): void {
    this.options.notify({ topic: 'engine.status', payload: this.status() });
  }

  /** Measures the storage, then publishes the status (after a flush, and from `engine.status`). */
  private async measure(): Promise<void> {
    this.dbBytes = await this.storage.usedBytes();
  }

  private registerCoreHandlers(debugMethods: boolean): void {
    const pins = this.state.pins;
    const core: Handlers = {
      'engine.start': () => {
        throw new Error('the engine is already started');
      },
      'engine.status': async () => {
        await this.measure();
        return this.status();
      },
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
        // Pins, alerts and dropped counts given before the flush are in it.
        await this.state.settled();
        const result = await this.storage.flush();
        await this.measure();
        this.publishStatus();
        return { bytes: result.bytes, ms: result.ms };
      },
      'engine.pins': () => pins.list().map((pin) => ({ domain: pin.domain, key: pin.key, label: pin.label })),
      'engine.pin': ({ domain, key, label, pinned }) => {
        // Refused up front: the view would show the watch, and its write fail later where the user never looks.
        refuseIfReadOnly(this.storage, 'watching');
        if (pinned) pins.add(domain, key, label);
        else pins.remove(domain, key);
        // Other windows that share this engine show the watch too.
        this.options.notify({ topic: 'engine.pinsChanged', payload: { domain, key, pinned } });
        return { ok: true };
      },
      'engine.importEvents': ({ file }) => importEventsFile(String(file), {
        storage: this.storage, ingest: (events) => this.call('nostr.ingest', { events }), notify: (notification) => this.options.notify(notification), log: this.options.log,
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
        await this.storage.debugFill(megabytes);
        const result = await this.storage.flush();
        return { bytes: result.bytes };
      },
    };
  }
}
