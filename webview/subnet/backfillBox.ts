import type { SubnetOverview } from '../../src/protocol/bittensorProtocol';
import type { BackfillOutcome, subnetProtocol } from '../../src/protocol/subnetPanelProtocol';
import { element, labelFor } from '../common/dom';
import type { Messenger } from '../common/messenger';

/** A day of blocks (12 s each): the default span reaching back from the oldest stored snapshot. */
const DAY_BLOCKS = 7_200;

/**
 * "Backfill…": snapshots of past blocks read from the archive endpoint over a block range and step, with progress
 * and Cancel. The run belongs to the engine (it goes on when the panel is hidden); this box only shows it.
 */
export class BackfillBox {
  readonly toggle = element('button', { text: 'Backfill…', className: 'secondary', title: 'Read snapshots of past blocks from the archive endpoint' });
  readonly element: HTMLElement;
  private readonly from = blockInput('backfill-from');
  private readonly to = blockInput('backfill-to');
  private readonly step = blockInput('backfill-step');
  private readonly start = element('button', { text: 'Start' });
  private readonly cancel = element('button', { text: 'Cancel', className: 'secondary' });
  private readonly progress = element('progress');
  private readonly text = element('span', { className: 'backfill-text' });
  private defaulted = false;

  constructor(private readonly messenger: Messenger<typeof subnetProtocol>, private readonly say: (text: string) => void) {
    this.toggle.id = 'backfill-toggle';
    this.start.id = 'backfill-start';
    this.cancel.id = 'backfill-cancel';
    this.progress.id = 'backfill-progress';
    this.text.id = 'backfill-text';
    this.text.setAttribute('role', 'status');
    this.step.min = '1';
    this.step.value = '100';
    this.cancel.hidden = this.progress.hidden = true;
    this.element = element('div', { className: 'toolbar backfill' },
      labelFor(this.from, 'Backfill from block'), this.from, labelFor(this.to, 'to'), this.to, labelFor(this.step, 'every'), this.step,
      element('span', { className: 'note', text: 'blocks' }), this.start, this.cancel, this.progress, this.text);
    this.element.hidden = true;
    this.element.setAttribute('aria-label', 'Backfill');
    this.toggle.addEventListener('click', () => {
      this.element.hidden = !this.element.hidden;
    });
    this.start.addEventListener('click', () => this.begin());
    this.cancel.addEventListener('click', () => {
      this.cancel.disabled = true;
      this.text.textContent = 'Cancelling…';
      this.messenger.post({ type: 'cancelBackfill' });
    });
  }

  /** The first overview fills in the range the user most likely wants: the day before the oldest stored snapshot. */
  defaults(overview: SubnetOverview): void {
    if (this.defaulted) return;
    this.defaulted = true;
    const to = Math.max(0, overview.snapshots.oldestBlock - 1);
    this.to.value = String(to);
    this.from.value = String(Math.max(0, to - DAY_BLOCKS));
  }

  showProgress(done: number, total: number, block: number | null): void {
    this.element.hidden = false;
    this.start.disabled = true;
    this.cancel.hidden = this.progress.hidden = false;
    delete this.element.dataset.outcome;
    this.progress.max = Math.max(1, total);
    this.progress.value = done;
    this.text.textContent = `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} snapshots${block === null ? '' : ` (block ${block.toLocaleString('en-US')})`}`;
  }

  ended(outcome: BackfillOutcome, message: string): void {
    this.start.disabled = false;
    this.cancel.disabled = false;
    this.cancel.hidden = this.progress.hidden = true;
    this.text.textContent = message;
    this.element.dataset.outcome = outcome;
    this.say(message);
  }

  private begin(): void {
    const [from, to, step] = [this.from, this.to, this.step].map((input) => (/^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : null));
    if (from === null || to === null || step === null || step < 1 || to < from) {
      this.say('Backfill needs a from block, a to block at or after it, and a step of at least 1.');
      return;
    }
    this.start.disabled = true;
    this.messenger.post({ type: 'backfill', fromBlock: from, toBlock: to, step });
  }
}

function blockInput(id: string): HTMLInputElement {
  const input = element('input');
  input.type = 'number';
  input.min = '0';
  input.id = id;
  return input;
}
