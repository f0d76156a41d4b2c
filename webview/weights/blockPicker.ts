import { element } from '../common/dom';

const HEAD = 'head';
const OTHER = 'other';

/**
 * Which block the matrix is read at: the head, a stored snapshot's block (its hotkeys and stake label the rows), or
 * another block typed in (read from the archive endpoint; a node that cannot serve it is named in the status).
 */
export class BlockPicker {
  readonly element: HTMLElement;
  private readonly select = element('select');
  private readonly input = element('input');
  private readonly read = element('button', { text: 'Read', className: 'secondary' });
  private readonly other: HTMLElement;
  private stored: readonly { readonly block: number; readonly time: number }[] = [];

  constructor(private readonly pick: (block: number | undefined) => void) {
    this.select.id = 'block-picker';
    const label = element('label', { text: 'Block' });
    label.htmlFor = this.select.id;
    this.input.id = 'other-block';
    this.input.type = 'number';
    this.input.min = '1';
    this.input.step = '1';
    this.input.placeholder = 'block number';
    this.input.setAttribute('aria-label', 'Another block number');
    this.other = element('span', { className: 'other-block' }, this.input, this.read);
    this.other.hidden = true;
    this.fill(undefined);
    this.select.addEventListener('change', () => {
      if (this.select.value === OTHER) {
        this.other.hidden = false;
        this.input.focus();
        return;
      }
      this.other.hidden = true;
      this.pick(this.select.value === HEAD ? undefined : Number(this.select.value));
    });
    const submit = () => {
      const block = Number(this.input.value);
      if (!Number.isSafeInteger(block) || block < 1) {
        this.input.setCustomValidity('A block number: a whole number from 1');
        this.input.reportValidity();
        return;
      }
      this.input.setCustomValidity('');
      this.pick(block);
    };
    this.read.addEventListener('click', submit);
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') submit();
    });
    this.element = element('span', { className: 'block-picker' }, label, this.select, this.other);
  }

  /** The stored snapshot blocks (newest first), keeping `shown` selected. */
  setStored(blocks: readonly { readonly block: number; readonly time: number }[], shown: number | undefined): void {
    this.stored = blocks;
    this.fill(shown);
  }

  /** Marks the block now shown (or being read); one that is not stored stays in the typed box. */
  setShown(block: number | undefined): void {
    this.fill(block);
  }

  private fill(shown: number | undefined): void {
    const options = [option(HEAD, 'Head (now)')];
    for (const { block, time } of this.stored) options.push(option(String(block), `${block.toLocaleString()} · stored ${new Date(time * 1000).toLocaleString()}`));
    options.push(option(OTHER, 'Another block…'));
    const keepOther = this.select.value === OTHER && !this.other.hidden;
    this.select.replaceChildren(...options);
    const stored = shown !== undefined && this.stored.some((entry) => entry.block === shown);
    this.select.value = shown === undefined ? HEAD : stored ? String(shown) : OTHER;
    if (keepOther || (shown !== undefined && !stored)) {
      this.select.value = OTHER;
      this.other.hidden = false;
      if (shown !== undefined && !stored) this.input.value = String(shown);
    }
  }
}

function option(value: string, text: string): HTMLOptionElement {
  const created = element('option', { text });
  created.value = value;
  return created;
}
