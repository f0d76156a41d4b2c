import { metagraphCsv } from '../core/bittensor/metagraphCsv';
import { describeError } from '../core/util/errors';
import type { MetagraphSnapshot } from '../protocol/bittensorProtocol';
import { isNetuid, subnetProtocol, type ExportFormat, type FromSubnet, type ToSubnet } from '../protocol/subnetPanelProtocol';
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

  constructor(
    private readonly channel: PanelChannel<SubnetProtocol>,
    private readonly deps: SubnetPanelDeps,
    private readonly netuid: number,
  ) {
    const engine = deps.engine;
    this.requests = {
      traces: ({ field, top, ...range }) => engine.request('bittensor.traces', { netuid, field, select: { top }, ...range }),
      groups: ({ by, limit }) => engine.request('bittensor.groups', { netuid, by, limit, historyLimit: 1 }),
      groupSeries: ({ by, top, ...range }) => engine.request('bittensor.groupSeries', { netuid, by, top, ...range }),
      groupMembers: ({ by, key }) => engine.request('bittensor.groupMembers', { netuid, by, key }),
      metagraph: ({ block }) => engine.request('bittensor.metagraph', { netuid, ...(block === undefined ? {} : { block }) }),
      metagraphDiff: ({ block }) => engine.request('bittensor.metagraphDiff', { netuid, ...(block === undefined ? {} : { block }) }),
      churnHistory: (range) => engine.request('bittensor.churnHistory', { netuid, ...range }),
      frames: ({ role, offset, limit, ...range }) => engine.request('bittensor.frames', { netuid, role, offset, limit, ...range }),
    };
    channel.follow(['bittensor.changed'], {
      changed: (notification) => {
        if (notification.payload.netuids.includes(this.netuid)) void this.readOverview();
      },
      missed: () => void this.readOverview(),
    });
  }

  ready(replayed: boolean): void {
    if (!replayed) {
      this.channel.setState({ type: 'loading', netuid: this.netuid });
      void this.readOverview();
    }
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

  private notice(message: string): void {
    if (!this.disposed) this.channel.post({ type: 'notice', message });
  }
}
