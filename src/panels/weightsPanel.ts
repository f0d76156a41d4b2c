import { describeError } from '../core/util/errors';
import { weightsProtocol, type FromWeights, type ToWeights } from '../protocol/weightsPanelProtocol';
import type { EngineRequester } from '../views/engineRequester';
import type { PanelDefinition } from './panelDefinition';
import type { PanelChannel, PanelController, RequestHandlers } from './panelSession';

type WeightsProtocol = typeof weightsProtocol;

export interface WeightsDeps {
  readonly engine: EngineRequester;
}

/** One panel per netuid; a restored page names its netuid in its persisted state. */
export function weightsPanel(deps: WeightsDeps): PanelDefinition<number, WeightsProtocol> {
  return {
    viewType: 'swarmscope.weights',
    bundle: 'weights',
    styles: ['media/weights.css'],
    protocol: weightsProtocol,
    title: (netuid) => `Weights · SN${netuid}`,
    key: (netuid) => String(netuid),
    parseSubject: (value) => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined),
    create: (channel, netuid) => new WeightsPanel(channel, deps.engine, netuid),
  };
}

/**
 * The weights matrix of one subnet (heatmap) at the head or a picked block, its validators' agreement, clusters and
 * map, read from the chain on demand through `bittensor.weights`. The read takes seconds, so the state is `loading`
 * until the answer replaces it; the host replays that state to every page that loads (the webview is rebuilt each
 * time the panel is shown again), so showing the panel again never triggers another chain read. Only the first
 * page, with no state yet, reads. The history sections (a validator over time, stake correlation) are requests,
 * each pinned to this panel's netuid.
 */
class WeightsPanel implements PanelController<WeightsProtocol> {
  readonly requests: RequestHandlers<WeightsProtocol>;
  /** Bumped by every read, so that the answer of a superseded read is dropped. */
  private generation = 0;
  /** The block shown (or being read); undefined: the head. */
  private block: number | undefined;

  constructor(
    private readonly channel: PanelChannel<WeightsProtocol>,
    private readonly engine: EngineRequester,
    private readonly netuid: number,
  ) {
    this.requests = {
      blocks: () => engine.request('bittensor.snapshotBlocks', { netuid }),
      validatorHistory: ({ hotkey, top, maxPoints }) => engine.request('bittensor.weightsHistory', { netuid, hotkey, top, maxPoints }),
      stakeCorrelation: ({ hotkeys }) => engine.request('bittensor.stakeCorrelation', { netuid, select: { hotkeys: [...hotkeys] } }),
    };
  }

  ready(replayed: boolean): void {
    if (!replayed) void this.read();
  }

  received(message: FromWeights): void {
    if (message.type === 'pick') this.block = message.block;
    void this.read();
  }

  dispose(): void {
    this.generation++;
  }

  private async read(): Promise<void> {
    const generation = ++this.generation;
    const block = this.block;
    const at = block === undefined ? {} : { block };
    this.channel.setState({ type: 'loading', netuid: this.netuid, ...at });
    let answer: ToWeights;
    try {
      answer = { type: 'matrix', matrix: await this.engine.request('bittensor.weights', { netuid: this.netuid, ...at }), readAt: Date.now() };
    } catch (error) {
      answer = { type: 'error', netuid: this.netuid, message: describeError(error), ...at };
    }
    if (generation === this.generation) this.channel.setState(answer);
  }
}
