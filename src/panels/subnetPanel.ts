import { backfillBlocks } from '../core/bittensor/backfill';
import { metagraphCsv } from '../core/bittensor/metagraphCsv';
import { describeError } from '../core/util/errors';
import type { BackfillStatus, MetagraphSnapshot } from '../protocol/bittensorProtocol';
import {
  isNetuid, subnetProtocol, type BackfillOutcome, type ExportFormat, type FromSubnet, type HotkeyIps, type RangeParams, type ToSubnet,
} from '../protocol/subnetPanelProtocol';
import type { EngineRequester } from '../views/engineRequester';
import type { PanelDefinition } from './panelDefinition';
import type { PanelChannel, PanelController, RequestHandlers } from './panelSession';

type SubnetProtocol = typeof subnetProtocol;

/** What the subnet panel asks of VS Code (subnetActions.ts provides it; this file stays vscode-free). */
export interface SubnetActions {
  /** Asks where to save and writes the text; resolves to the path written, or undefined when the user cancelled. */
  save(suggestedName: string, format: ExportFormat, text: string): Promise<string | undefined>;
}

export interface SubnetPanelDeps {
  readonly engine: EngineRequester;
  readonly actions: SubnetActions;
}

/** One panel per netuid; a restored page names its netuid in its persisted state. */
export function subnetPanel(deps: SubnetPanelDeps): PanelDefinition<number, SubnetProtocol> {
  return {
    viewType: 'swarmscope.subnet',
    bundle: 'subnet',
    styles: ['media/subnet.css'],
    protocol: subnetProtocol,
    title: (netuid) => `Subnet · SN${netuid}`,
    key: (netuid) => String(netuid),
    parseSubject: (value) => (isNetuid(value) ? value : undefined),
    create: (channel, netuid) => new SubnetPanel(channel, deps, netuid),
  };
}

/** The export file's contents: every column of every UID, as `swarmscope metagraph --csv` / `--json` print them. */
export function exportText(snapshot: MetagraphSnapshot, format: ExportFormat): string {
  return format === 'csv' ? `${metagraphCsv(snapshot.neurons)}\n` : `${JSON.stringify(snapshot, null, 2)}\n`;
}

/**
 * Only the range's own fields, so that nothing else a page puts beside them (a netuid, a page size) reaches the engine
 * request; spread before the netuid, which wins regardless.
 */
export function rangeOf(range: RangeParams): RangeParams {
  const picked: { -readonly [K in keyof RangeParams]: RangeParams[K] } = {};
  if (range.fromBlock !== undefined) picked.fromBlock = range.fromBlock;
  if (range.toBlock !== undefined) picked.toBlock = range.toBlock;
  if (range.fromTime !== undefined) picked.fromTime = range.fromTime;
  if (range.toTime !== undefined) picked.toTime = range.toTime;
  return picked;
}

/** Each hotkey's axon IP in a stored snapshot (what colouring by IP needs; the webview never gets the whole metagraph for it). */
export function hotkeyIps(snapshot: MetagraphSnapshot | null): HotkeyIps | null {
  return snapshot ? { block: snapshot.block, ips: snapshot.neurons.map((neuron) => [neuron.hotkey, neuron.axon?.ip ?? null] as const) } : null;
}

/**
 * The subnet dashboard of one netuid. The overview is the state (read when the first page loads, again whenever
 * the engine says the subnet changed, and after Update); the sections' data is read on request, each request
 * pinned to this panel's netuid.
 */
export class SubnetPanel implements PanelController<SubnetProtocol> {
  readonly requests: RequestHandlers<SubnetProtocol>;
  /** Bumped by every overview read, so that a superseded answer is dropped. */
  private generation = 0;
  private updating = false;
  private disposed = false;
  /** The running backfill's last progress; undefined when none runs (as far as this panel knows). */
  private backfill: { done: number; total: number; block: number | null } | undefined;
  /** Bumped by every Start, so that an engine status read before it does not end the run it began. */
  private backfillStarts = 0;

  constructor(
    private readonly channel: PanelChannel<SubnetProtocol>,
    private readonly deps: SubnetPanelDeps,
    private readonly netuid: number,
  ) {
    const engine = deps.engine;
    this.requests = {
      traces: ({ field, top, ...range }) => engine.request('bittensor.traces', { ...rangeOf(range), netuid, field, select: { top } }),
      groups: ({ by, limit }) => engine.request('bittensor.groups', { netuid, by, limit, historyLimit: 1 }),
      groupSeries: ({ by, top, ...range }) => engine.request('bittensor.groupSeries', { ...rangeOf(range), netuid, by, top }),
      groupMembers: ({ by, key }) => engine.request('bittensor.groupMembers', { netuid, by, key }),
      metagraph: ({ block }) => engine.request('bittensor.metagraph', { netuid, ...(block === undefined ? {} : { block }) }),
      metagraphDiff: ({ block }) => engine.request('bittensor.metagraphDiff', { netuid, ...(block === undefined ? {} : { block }) }),
      churnHistory: (range) => engine.request('bittensor.churnHistory', { ...rangeOf(range), netuid }),
      frames: ({ role, offset, limit, ...range }) => engine.request('bittensor.frames', { ...rangeOf(range), netuid, role, offset, limit }),
      hotkeyIps: async ({ block }) => hotkeyIps(await engine.request('bittensor.metagraph', { netuid, ...(block === undefined ? {} : { block }) })),
    };
    channel.follow(['bittensor.changed', 'bittensor.backfillProgress', 'bittensor.backfillEnded'], {
      changed: (notification) => {
        switch (notification.topic) {
          case 'bittensor.changed':
            if (notification.payload.netuids.includes(this.netuid)) void this.readOverview();
            return;
          case 'bittensor.backfillProgress':
            if (notification.payload.netuid === this.netuid) this.backfillProgress(notification.payload);
            return;
          case 'bittensor.backfillEnded':
            if (notification.payload.netuid === this.netuid) this.backfillEnded(notification.payload.outcome, notification.payload.message);
            return;
        }
      },
      // The backfill is not caught up here but in ready(): a panel shown again always loads a new page, and an end
      // posted before that page listens would be lost.
      missed: () => void this.readOverview(),
    });
  }

  ready(replayed: boolean): void {
    if (!replayed) {
      this.channel.setState({ type: 'loading', netuid: this.netuid });
      void this.readOverview();
    }
    // A page loaded while a backfill runs (shown again, reloaded) shows its progress and its Cancel; the engine says
    // whether it still runs, since it may have ended unseen (while hidden, past the request's timeout).
    void this.syncBackfill();
  }

  received(message: FromSubnet): void {
    switch (message.type) {
      case 'refresh':
        void this.readOverview();
        return;
      case 'update':
        void this.update();
        return;
      case 'export':
        void this.export(message.block, message.format);
        return;
      case 'backfill':
        void this.startBackfill(message.fromBlock, message.toBlock, message.step);
        return;
      case 'cancelBackfill':
        void this.deps.engine.request('bittensor.cancelBackfill', { netuid: this.netuid })
          .catch((error) => this.notice(`Could not cancel the backfill: ${describeError(error)}`));
        return;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.generation++;
  }

  private async readOverview(): Promise<void> {
    const generation = ++this.generation;
    let message: ToSubnet;
    try {
      // The head is read from the node: the collector knows it only for tracked subnets, and staleness needs it.
      const overview = await this.deps.engine.request('bittensor.overview', { netuid: this.netuid, readHead: true })
        .catch(() => this.deps.engine.request('bittensor.overview', { netuid: this.netuid }));
      message = { type: 'overview', netuid: this.netuid, overview, readAt: Date.now() };
    } catch (error) {
      message = { type: 'error', netuid: this.netuid, message: describeError(error) };
    }
    if (generation === this.generation && !this.disposed) this.channel.setState(message);
  }

  private async update(): Promise<void> {
    if (this.updating) return;
    this.updating = true;
    this.channel.post({ type: 'updating' });
    try {
      const snapshot = await this.deps.engine.request('bittensor.snapshot', { netuid: this.netuid });
      this.notice(`Snapshot at block ${snapshot.block.toLocaleString('en-US')} with ${snapshot.n} UIDs stored.`);
    } catch (error) {
      this.notice(`Could not take a snapshot: ${describeError(error)}`);
    } finally {
      this.updating = false;
    }
    await this.readOverview();
  }

  private async export(block: number, format: ExportFormat): Promise<void> {
    try {
      const snapshot = await this.deps.engine.request('bittensor.metagraph', { netuid: this.netuid, block });
      if (!snapshot || snapshot.block !== block) return this.notice(`No snapshot of subnet ${this.netuid} is stored at block ${block}.`);
      const path = await this.deps.actions.save(`subnet-${this.netuid}-block-${block}.${format}`, format, exportText(snapshot, format));
      if (path) this.notice(`Saved ${snapshot.neurons.length} UIDs at block ${block.toLocaleString('en-US')} to ${path}`);
    } catch (error) {
      this.notice(`Could not export: ${describeError(error)}`);
    }
  }

  /**
   * The run's end reaches the panel twice: as the engine's backfillEnded notification (while visible; also after the
   * request timed out on a long run) and as the request's answer (also while hidden). The first one to arrive ends it.
   */
  private async startBackfill(fromBlock: number, toBlock: number, step: number): Promise<void> {
    let total: number;
    try {
      total = backfillBlocks({ netuid: this.netuid, fromBlock, toBlock, step }).length;
    } catch (error) {
      this.channel.post({ type: 'backfillEnded', outcome: 'failed', message: `Cannot backfill: ${describeError(error)}` });
      return;
    }
    // Not refused here when this panel thinks a run is on: it may have missed that run's end (hidden past the
    // request's timeout). The engine knows whether one runs, and refuses a second itself.
    const previous = this.backfill;
    this.backfillStarts++;
    this.backfillProgress({ done: 0, total, block: null });
    try {
      const { snapshots } = await this.deps.engine.request('bittensor.backfill', { netuid: this.netuid, fromBlock, toBlock, step });
      this.backfillEnded('done', `Backfilled ${snapshots} snapshots of subnet ${this.netuid}.`);
    } catch (error) {
      const message = describeError(error);
      // The engine keeps running a backfill whose request timed out; its notifications tell the rest.
      if (/did not answer/.test(message)) return;
      if (/is already running/.test(message)) {
        if (previous) this.backfillProgress(previous);
        return this.notice(`${message.charAt(0).toUpperCase()}${message.slice(1)}.`);
      }
      if (/cancelled/.test(message)) this.backfillEnded('cancelled', `${message.charAt(0).toUpperCase()}${message.slice(1)}.`);
      else this.backfillEnded('failed', `Backfill failed: ${message}`);
    }
  }

  /**
   * Brings this panel's idea of the backfill in line with the engine's: notifications reach visible panels only, so a
   * run that ended while the panel was hidden (its request long timed out) would otherwise show its Cancel forever.
   */
  private async syncBackfill(): Promise<void> {
    const starts = this.backfillStarts;
    let status: BackfillStatus;
    try {
      status = await this.deps.engine.request('bittensor.backfillStatus', { netuid: this.netuid });
    } catch {
      // Without an answer, what this panel knows is still the best guess; the notifications tell the rest.
      if (this.backfill && starts === this.backfillStarts) this.backfillProgress(this.backfill);
      return;
    }
    if (starts !== this.backfillStarts) return;
    if (status.running) this.backfillProgress(status);
    else if (status.lastEnd) this.backfillEnded(status.lastEnd.outcome, status.lastEnd.message);
    else this.backfillEnded('failed', `The backfill of subnet ${this.netuid} is no longer running (the engine was restarted).`);
  }

  private backfillProgress(progress: { done: number; total: number; block: number | null }): void {
    this.backfill = { done: progress.done, total: progress.total, block: progress.block };
    if (!this.disposed) this.channel.post({ type: 'backfillProgress', ...this.backfill });
  }

  private backfillEnded(outcome: BackfillOutcome, message: string): void {
    if (!this.backfill) return;
    this.backfill = undefined;
    if (!this.disposed) this.channel.post({ type: 'backfillEnded', outcome, message });
  }

  private notice(message: string): void {
    if (!this.disposed) this.channel.post({ type: 'notice', message });
  }
}
