import { generateSecretKey, type Event } from 'nostr-tools/pure';
import { OFFLINE_SWARMSCOPE_SETTINGS } from '../support/codeServer';
import { buildJobRequest, DvmSimulator, RelayPublisher, type DvmSimulatorOptions } from '../support/dvmSimulator';
import { eventually } from '../support/eventually';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { WorkbenchSession } from './workbenchSession';

/**
 * The set-up the Nostr UI tests share: a real relay on loopback as the only relay in the user's settings, a customer
 * publishing to it, code-server with the packaged extension, and (when a test asks) a simulated DVM on that relay.
 */
export class DvmScene {
  readonly workbench: WorkbenchSession;
  relay: TestRelay | undefined;
  dvm: DvmSimulator | undefined;
  private customer: RelayPublisher | undefined;
  private readonly customerKey = generateSecretKey();

  constructor(name: string) {
    this.workbench = new WorkbenchSession(name);
  }

  async open(): Promise<void> {
    this.relay = await startRelay();
    this.customer = await RelayPublisher.connect(this.relay.url);
    await this.workbench.open({ ...OFFLINE_SWARMSCOPE_SETTINGS, 'swarmscope.nostr.relays': [this.relay.url], 'swarmscope.bittensor.trackedSubnets': [] });
  }

  async startDvm(options: Omit<DvmSimulatorOptions, 'relayUrl'>): Promise<DvmSimulator> {
    this.dvm = await DvmSimulator.start({ relayUrl: this.relay!.url, ...options });
    return this.dvm;
  }

  /** A job request from our customer, published to the relay like any client's. */
  async publishJob(input: string): Promise<Event> {
    const job = buildJobRequest({ secretKey: this.customerKey, input });
    await this.customer!.publish(job);
    return job;
  }

  /** A job from our customer; resolves once the simulated DVM has delivered its result. */
  async publishAnsweredJob(input: string): Promise<Event> {
    const job = await this.publishJob(input);
    await eventually(`the DVM's result for "${input}"`, () => this.dvm!.answersTo(job.id).some((event) => event.kind === 6050));
    return job;
  }

  async close(): Promise<void> {
    this.customer?.close();
    await this.dvm?.stop();
    await this.workbench.close();
    await this.relay?.stop();
  }
}
