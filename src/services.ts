import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SwarmscopeApi } from './api';
import { registerOpenDashboard } from './commands/openDashboard';
import { registerOpenNostrPages } from './commands/openNostrPage';
import { registerShowWeights } from './commands/showWeights';
import { registerOpenSubnetDashboard } from './commands/openSubnetDashboard';
import { registerFilterUids } from './commands/filterUids';
import { registerFindHotkey } from './commands/findHotkey';
import { registerImportEvents } from './commands/importEvents';
import { registerOpenEvent } from './commands/openEvent';
import { registerOpenSettings } from './commands/openSettings';
import { registerOpenTrace } from './commands/openTrace';
import { registerIdentityCommands } from './commands/nostrIdentity';
import { registerPostTestJob } from './commands/postTestJob';
import { registerRefreshSubnets } from './commands/refreshSubnets';
import { registerRestartEngine } from './commands/restartEngine';
import { registerShowLog } from './commands/showLog';
import { registerShowStatus } from './commands/showStatus';
import { registerSnapshotSubnet } from './commands/snapshotSubnet';
import { registerSortUids } from './commands/sortUids';
import { registerWatchCommands } from './commands/watch';
import { registerTeamStorePassword } from './commands/teamStorePassword';
import type { CommandContext } from './commands/commandContext';
import { affectsStorageUrl, affectsSwarmscope, readRawSettings, readStorageUrl } from './configuration';
import { Backoff } from './core/util/backoff';
import type { SettingError } from './core/config/settings';
import { describeError } from './core/util/errors';
import { describePgUrl as describeStoreUrl } from './core/store/postgres/pgUrl';
import { EngineClient, type EngineClientState } from './engine/engineClient';
import { channelLogger, sanitizedLogChannel } from './logging';
import { MESSAGE_MAX_LENGTH, untrustedText } from './core/util/untrustedText';
import { NostrIdentity } from './identity/nostrIdentity';
import { TeamStorePassword } from './identity/teamStorePassword';
import { Panels } from './panels/panels';
import { subnetActions } from './panels/subnetActions';
import { traceActions } from './panels/traceActions';
import type { EngineMethod, EngineNotification, EngineStatus, ParamsOf, ResultOf } from './protocol/engineProtocol';
import { DvmTreeProvider, type DvmNode } from './views/dvmTreeProvider';
import { EVENT_SCHEME, EventDocumentProvider } from './views/eventDocumentProvider';
import { HealthTreeProvider } from './views/healthTreeProvider';
import { KindTreeProvider } from './views/kindTreeProvider';
import { RELAY_STATE_CONTEXT_KEY, relayState, type RelayState } from './views/sourceState';
import { EngineStatusBar } from './views/statusBar';
import { registerHistoryBackfill } from './commands/historyBackfill';
import { SubnetTreeProvider, type SubnetNode } from './views/subnetTreeProvider';
import { WatchedTreeProvider } from './views/watchedTreeProvider';

/** How often the status bar and Health view re-read collector status while the engine runs. */
const STATUS_POLL_MS = 5_000;

/**
 * The composition root: builds every service with explicit dependencies and owns their lifetimes. Disposal runs in
 * reverse order of creation. Implements the extension's public API (src/api.ts).
 */
export class Services implements vscode.Disposable, SwarmscopeApi {
  activationMs = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly log: vscode.LogOutputChannel;
  private readonly client: EngineClient;
  private readonly statusItem: EngineStatusBar;
  private readonly health: HealthTreeProvider;
  private readonly dvms: DvmTreeProvider;
  private readonly kinds: KindTreeProvider;
  private readonly subnets: SubnetTreeProvider;
  private readonly watched: WatchedTreeProvider;
  private readonly panels: Panels;
  /** The Nostr key that signs test jobs, in SecretStorage (the OS keychain) only. */
  private readonly identity: NostrIdentity;
  private readonly dvmView: vscode.TreeView<DvmNode>;
  private readonly subnetView: vscode.TreeView<SubnetNode>;
  private lastSettingErrors: readonly SettingError[] = [];
  private statusTimer: NodeJS.Timeout | undefined;
  private readyWaiters: ((status: EngineStatus) => void)[] = [];
  private lastStatus: EngineStatus | undefined;
  private everReady = false;
  /** Why the engine did not start (a database file that is not ours, …); undefined once it starts. */
  private startFailure: string | undefined;
  private shownRelayState: RelayState['kind'] | undefined;
  private readonly notifications = new vscode.EventEmitter<EngineNotification>();
  /** The team store's password (swarmscope.storage.url), in SecretStorage only; read before each start. */
  private readonly storePassword: TeamStorePassword;
  private password: string | undefined;
  /** A team store that could not be reached is tried again, as a dead relay is, ever less often. */
  private readonly storeBackoff = new Backoff(1_000, 60_000);
  private storeRetryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.own(this.notifications);
    // Sanitised on the way in: log lines quote relays, DVMs and nodes.
    this.log = this.own(sanitizedLogChannel(vscode.window.createOutputChannel('Swarmscope', { log: true })));
    this.statusItem = this.own(new EngineStatusBar());
    this.client = new EngineClient({
      workerPath: path.join(context.extensionPath, 'dist', 'engine.js'),
      startParams: () => ({
        ...this.storeParams(),
        settings: readRawSettings(),
        collect: true,
        // Set by the test harnesses (code-server, @vscode/test-electron) only.
        debugMethods: process.env.SWARMSCOPE_DEBUG_METHODS === '1',
        ...testMaintenanceInterval(),
        // Shown in the other windows of this profile, which use this window's engine while it owns the database.
        ownerLabel: `VS Code window ${vscode.workspace.name ?? '(no folder)'}`,
      }),
      log: channelLogger(this.log),
      onNotification: (notification) => this.route(notification),
      onStateChange: (state, detail) => this.onClientState(state, detail),
    });
    const onError = (error: unknown) => this.log.warn(`view refresh failed: ${describeError(error)}`);
    this.health = this.own(new HealthTreeProvider());
    this.dvms = this.own(new DvmTreeProvider(this.client, onError));
    this.kinds = this.own(new KindTreeProvider(this.client, onError));
    this.subnets = this.own(new SubnetTreeProvider(this.client, onError));
    this.watched = this.own(new WatchedTreeProvider(this.client, onError));
    this.dvmView = this.registerView('swarmscope.dvms', this.dvms);
    this.registerView('swarmscope.kinds', this.kinds);
    this.registerView('swarmscope.watched', this.watched);
    this.subnetView = this.registerView('swarmscope.subnets', this.subnets);
    this.registerView('swarmscope.health', this.health);
    this.own(vscode.workspace.registerTextDocumentContentProvider(EVENT_SCHEME, new EventDocumentProvider(this.client)));
    this.identity = new NostrIdentity(context.secrets);
    this.storePassword = new TeamStorePassword(context.secrets);
    // During activation: VS Code restores open panels after a reload through the serializers this registers.
    this.panels = this.own(new Panels({
      extensionUri: context.extensionUri, engine: this.client, log: this.log, traceActions: traceActions({ revealDvm: (pubkey) => this.revealDvm(pubkey) }),
      subnetActions: subnetActions(), identity: this.identity,
    }));
    this.registerCommands();
    this.own(vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsStorageUrl(event)) void this.restartEngine();
      else if (affectsSwarmscope(event)) void this.reconfigure();
    }));
  }

  private own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  private registerView<T>(id: string, provider: vscode.TreeDataProvider<T> & { refresher: { follow(view: vscode.TreeView<T>): vscode.Disposable } }): vscode.TreeView<T> {
    const view = this.own(vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: id !== 'swarmscope.health' }));
    this.own(provider.refresher.follow(view));
    return view;
  }

  /** A DVM's row in the DVMs view, shown and selected (the trace panel's "reveal"); false when the view does not list it. */
  private async revealDvm(pubkey: string): Promise<boolean> {
    const node = await this.dvms.find(pubkey);
    if (!node) return false;
    await this.dvmView.reveal(node, { select: true, focus: true, expand: false });
    return true;
  }

  private registerCommands(): void {
    const commandContext: CommandContext = {
      engine: this.client,
      log: this.log,
      dvms: this.dvms,
      subnets: this.subnets,
      watched: this.watched,
      health: this.health,
      notifications: this.notifications.event,
      restartEngine: () => this.restartEngine(),
      reloadPins: () => this.reloadPins(),
      reportError: (error, action) => {
        this.log.error(`could not ${action}: ${describeError(error)}`);
        void vscode.window.showErrorMessage(`Swarmscope could not ${action}: ${untrustedText(describeError(error), MESSAGE_MAX_LENGTH, 'middle')}`);
      },
    };
    this.own(registerShowLog(commandContext));
    this.own(registerRestartEngine(commandContext));
    this.own(registerShowStatus(commandContext));
    this.own(registerOpenSettings());
    this.own(registerRefreshSubnets(commandContext));
    this.own(registerSnapshotSubnet(commandContext));
    this.own(registerOpenEvent());
    this.own(registerImportEvents(commandContext));
    this.own(registerHistoryBackfill(commandContext));
    this.own(registerOpenTrace(commandContext, this.panels.trace));
    this.own(registerWatchCommands(commandContext));
    this.own(registerSortUids(commandContext));
    this.own(registerOpenDashboard(this.panels.dashboard));
    this.own(registerOpenNostrPages(commandContext, this.panels.pages));
    this.own(registerShowWeights(commandContext, this.panels.weights));
    this.own(registerOpenSubnetDashboard(commandContext, this.panels.subnet));
    this.own(registerFindHotkey(commandContext, this.subnetView));
    this.own(registerFilterUids(commandContext));
    this.own(registerIdentityCommands(this.identity));
    this.own(registerPostTestJob(this.panels.playground));
    // Only an engine on the team store uses the password: the embedded file's engine goes on undisturbed.
    this.own(registerTeamStorePassword(this.storePassword, () => (readStorageUrl().url === undefined ? Promise.resolve() : this.restartEngine())));
  }

  /**
   * The embedded file, or the team store `swarmscope.storage.url` names with the password kept for it. A URL the
   * setting check refused is still handed on: the engine refuses it too, naming the key, rather than quietly
   * showing this editor's own file as the team's.
   */
  private storeParams(): { dbPath: string | undefined; store?: { url: string; password?: string; origin: string } } {
    const { url } = readStorageUrl();
    if (url === undefined) return { dbPath: path.join(this.context.globalStorageUri.fsPath, 'swarmscope.db') };
    return { dbPath: undefined, store: { url, ...(this.password ? { password: this.password } : {}), origin: 'swarmscope.storage.url' } };
  }

  /** Where the engine was to open its data, for the Health view: the file, or the team store's URL (never a password). */
  private storeLocation(): string | undefined {
    const { url } = readStorageUrl();
    if (url !== undefined) return describeStoreUrl(url);
    return this.context.globalStorageUri ? path.join(this.context.globalStorageUri.fsPath, 'swarmscope.db') : undefined;
  }

  /** Spawns the worker; called after activation returns so that activation stays cheap. */
  startEngine(): void {
    clearTimeout(this.storeRetryTimer);
    this.setStartFailure(undefined);
    const storage = readStorageUrl();
    if (storage.error) this.reportSettingErrors([storage.error]);
    this.storePassword.get().then((password) => {
      this.password = password;
    }, (error) => this.log.warn(`the team store password could not be read from the keychain: ${describeError(error)}`))
      .then(() => this.client.start()).then(
      (status) => {
        this.storeBackoff.reset();
        this.onStatus(status);
        this.reportSettingErrors(status.settingErrors);
        void this.reloadPins();
        this.statusTimer = setInterval(() => void this.pollStatus(), STATUS_POLL_MS);
      },
      (error) => {
        this.log.error(`the engine did not start: ${describeError(error)}`);
        // A team store that is down (or refused us) may come back: tried again with backoff. A refused URL or a
        // database file that is not ours will not, until the user changes something (which restarts the engine).
        if (storage.url === undefined || storage.error) {
          this.setStartFailure(describeError(error));
          return;
        }
        const delay = this.storeBackoff.next();
        this.setStartFailure(`${describeError(error)}; trying again in ${Math.round(delay / 1000)} s`);
        this.storeRetryTimer = setTimeout(() => void this.restartEngine(), delay);
      },
    );
  }

  /** An engine that did not start says so, with why, in the status bar, Health and the empty views. */
  private setStartFailure(message: string | undefined): void {
    this.startFailure = message;
    this.statusItem.setStartFailure(message);
    this.health.setStartFailure(message, this.storeLocation());
    this.showRelayState();
  }

  /** The relay situation to the empty views and, for their welcome texts, to the context key. */
  private showRelayState(): void {
    const state = relayState(this.lastStatus, this.client.state, this.startFailure);
    this.dvms.setRelayState(state);
    this.kinds.setRelayState(state);
    if (state.kind !== this.shownRelayState) {
      this.shownRelayState = state.kind;
      void vscode.commands.executeCommand('setContext', RELAY_STATE_CONTEXT_KEY, state.kind);
    }
  }

  async restartEngine(): Promise<void> {
    clearInterval(this.statusTimer);
    clearTimeout(this.storeRetryTimer);
    await this.client.stop();
    this.startEngine();
    await this.whenEngineReady();
  }

  private async pollStatus(): Promise<void> {
    if (this.client.state !== 'ready') return;
    try {
      this.onStatus(await this.client.request('engine.status', {}));
    } catch (error) {
      this.log.debug(`status poll failed: ${describeError(error)}`);
    }
  }

  private onStatus(status: EngineStatus): void {
    this.lastStatus = status;
    this.lastSettingErrors = status.settingErrors;
    this.statusItem.setStatus(status);
    this.health.setStatus(status);
    this.kinds.setCoverage(status.coverage);
    this.showRelayState();
    if (status.state === 'ready' && this.client.state === 'ready') {
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const resolve of waiters) resolve(status);
    }
  }

  private onClientState(state: EngineClientState, detail?: string): void {
    this.statusItem.setClientState(state, detail);
    this.health.setClientState(state, detail);
    this.showRelayState();
    if (state === 'crashed') {
      void vscode.window.showWarningMessage(`Swarmscope's engine stopped unexpectedly (${untrustedText(detail) || 'unknown cause'}). It is being restarted.`, 'Show Log')
        .then((choice) => choice && this.log.show(true));
    }
    if (state === 'ready') {
      this.statusItem.setOwnership(this.client.role, this.client.owner);
      void this.client.request('engine.status', {}).then((status) => this.onStatus(status), () => undefined);
      // After a hand-over (or a restart) the views read the engine afresh: what they asked during the gap failed.
      if (this.everReady) this.refillViews();
      this.everReady = true;
    }
  }

  private refillViews(): void {
    this.dvms.refresher.refresh();
    this.kinds.refresher.refresh();
    this.subnets.refresher.refresh();
    void this.reloadPins();
  }

  private route(notification: EngineNotification): void {
    this.panels.route(notification);
    this.notifications.fire(notification);
    switch (notification.topic) {
      case 'engine.status':
        this.onStatus(notification.payload);
        break;
      case 'nostr.changed':
        void this.dvms.changed(notification.payload.dvms);
        void this.kinds.changed(notification.payload.kinds);
        this.watched.dvmsChanged(notification.payload.dvms);
        this.watched.jobsChanged(notification.payload.jobs);
        break;
      case 'nostr.posted':
        this.watched.postedChanged();
        break;
      case 'bittensor.changed':
        this.subnets.changed(notification.payload.netuids);
        this.watched.changed();
        break;
      case 'engine.pinsChanged':
        void this.reloadPins();
        break;
      case 'engine.reload':
        // Another process wrote to the shared store and what it touched cannot be named: every view reads again.
        this.refillViews();
        break;
      case 'nostr.alert':
      case 'bittensor.alert':
        // Every window's rows show what the alert is about; only the owner's window notifies.
        if (notification.topic === 'nostr.alert') {
          void this.dvms.changed([notification.payload.pubkey]);
          this.watched.dvmsChanged([notification.payload.pubkey]);
        } else {
          this.watched.hotkeyAlert(notification.payload.hotkey, notification.payload.message);
        }
        // Raised by the window that owns the engine; the windows that share it would only repeat it.
        if (this.client.role !== 'owner') break;
        this.log.warn(notification.payload.message);
        // The message names the DVM or hotkey by the name it chose: a `[x](command:…)` there would be a live link.
        void vscode.window.showWarningMessage(`Swarmscope: ${untrustedText(notification.payload.message, MESSAGE_MAX_LENGTH, 'middle')}`);
        break;
      default:
        break;
    }
  }

  private async reconfigure(): Promise<void> {
    // The owner's window sees the same change to user settings and applies it; a client would only repeat it.
    if (this.client.role === 'client') return;
    try {
      const { errors } = await this.client.request('engine.configure', { settings: readRawSettings() });
      this.lastSettingErrors = errors;
      this.reportSettingErrors(errors);
      await this.pollStatus();
    } catch (error) {
      this.log.error(`could not apply the new settings: ${describeError(error)}`);
    }
  }

  private reportSettingErrors(errors: readonly SettingError[]): void {
    if (errors.length === 0) return;
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more; see Health)` : '';
    void vscode.window.showWarningMessage(`Swarmscope setting ${first.key}: ${untrustedText(first.message, MESSAGE_MAX_LENGTH, 'middle')}${more}`, 'Open Settings')
      .then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', first.key));
  }

  private async reloadPins(): Promise<void> {
    const pins = await this.watched.reload();
    this.dvms.setWatched(pins.filter((pin) => pin.domain === 'dvm').map((pin) => pin.key));
    this.subnets.setWatched(pins.filter((pin) => pin.domain === 'hotkey').map((pin) => pin.key));
  }

  // --- SwarmscopeApi ---

  whenEngineReady(): Promise<EngineStatus> {
    if (this.client.state === 'ready' && this.lastStatus) return Promise.resolve(this.lastStatus);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  request<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    return this.client.request(method, params);
  }

  engineState(): EngineClientState {
    return this.client.state;
  }

  statusBar(): { text: string; tooltip: string } {
    return { text: this.statusItem.text, tooltip: this.statusItem.tooltip };
  }

  settingErrors(): readonly SettingError[] {
    return this.lastSettingErrors;
  }

  engineRestarts(): number {
    return this.client.restarts;
  }

  async shutdown(): Promise<void> {
    clearInterval(this.statusTimer);
    await this.client.stop();
  }

  dispose(): void {
    clearInterval(this.statusTimer);
    clearTimeout(this.storeRetryTimer);
    void this.client.stop();
    for (const disposable of this.disposables.reverse()) disposable.dispose();
    this.disposables.length = 0;
  }
}

/**
 * Tests only (the code-server harness sets it): maintenance (retention, liveness, the silence alert) every N ms
 * instead of every minute. The engine honours it only together with its debug methods.
 */
function testMaintenanceInterval(): { maintenanceIntervalMs?: number } {
  const value = Number(process.env.SWARMSCOPE_TEST_MAINTENANCE_MS);
  return Number.isInteger(value) && value > 0 ? { maintenanceIntervalMs: value } : {};
}

export function createServices(context: vscode.ExtensionContext): Services {
  return new Services(context);
}
