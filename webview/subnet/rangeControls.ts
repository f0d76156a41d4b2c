import { MAX_TOP, type RangeParams } from '../../src/protocol/subnetPanelProtocol';
import { element, labelFor } from '../common/dom';
import { isXAxis, localInputEndSeconds, localInputSeconds, secondsInputValue } from './axisChoice';
import { COLOUR_BY, isColourBy } from './colourBy';
import { rangeParams, type RangeUi } from './rangeChoice';

/**
 * The row above the tabs: a range by block or by time (the snapshots' block times), top N (applied together with
 * Apply), and the x axis and colour-by choices (applied at once: they change how, not what, is read).
 */
export class RangeControls {
  readonly element: HTMLElement;
  private readonly rangeBy = select('range-by', [['block', 'block'], ['time', 'time']]);
  private readonly fromBlock = numberInput('range-from', 'from block');
  private readonly toBlock = numberInput('range-to', 'to block');
  private readonly fromTime = timeInput('range-from-time');
  private readonly toTime = timeInput('range-to-time');
  private readonly topInput = numberInput('top-n', 'top N');
  private readonly axis = select('x-axis', [['block', 'block'], ['time', 'time']]);
  private readonly colour = select('colour-by', COLOUR_BY.map((choice) => [choice.value, choice.label]));

  constructor(ui: RangeUi, onApply: (ui: RangeUi) => void, onView: (ui: RangeUi) => void) {
    this.rangeBy.value = ui.rangeBy === 'time' ? 'time' : 'block';
    if (ui.fromBlock !== null) this.fromBlock.value = String(ui.fromBlock);
    if (ui.toBlock !== null) this.toBlock.value = String(ui.toBlock);
    if (ui.fromTime !== null) this.fromTime.value = secondsInputValue(ui.fromTime);
    if (ui.toTime !== null) this.toTime.value = secondsInputValue(ui.toTime);
    this.topInput.min = '1';
    this.topInput.max = String(MAX_TOP);
    this.topInput.value = String(clampTop(ui.top));
    this.axis.value = isXAxis(ui.xAxis) ? ui.xAxis : 'block';
    this.colour.value = isColourBy(ui.colourBy) ? ui.colourBy : 'coldkey';
    const apply = element('button', { text: 'Apply', className: 'secondary' });
    apply.id = 'range-apply';
    const blocks = element('span', { className: 'range-blocks' }, labelFor(this.fromBlock, 'From block'), this.fromBlock, labelFor(this.toBlock, 'to'), this.toBlock);
    const times = element('span', { className: 'range-times' }, labelFor(this.fromTime, 'From'), this.fromTime, labelFor(this.toTime, 'to'), this.toTime);
    const showRange = () => {
      blocks.hidden = this.rangeBy.value !== 'block';
      times.hidden = this.rangeBy.value !== 'time';
    };
    showRange();
    this.rangeBy.addEventListener('change', showRange);
    apply.addEventListener('click', () => onApply(this.ui()));
    this.axis.addEventListener('change', () => onView(this.ui()));
    this.colour.addEventListener('change', () => onView(this.ui()));
    this.element = element('div', { className: 'toolbar controls' },
      labelFor(this.rangeBy, 'Range by'), this.rangeBy, blocks, times, labelFor(this.topInput, 'Top N'), this.topInput, apply,
      labelFor(this.axis, 'X axis'), this.axis, labelFor(this.colour, 'Colour by'), this.colour);
  }

  ui(): RangeUi {
    return {
      rangeBy: this.rangeBy.value === 'time' ? 'time' : 'block',
      fromBlock: readBlock(this.fromBlock),
      toBlock: readBlock(this.toBlock),
      fromTime: localInputSeconds(this.fromTime.value),
      toTime: localInputEndSeconds(this.toTime.value),
      top: this.top(),
      xAxis: isXAxis(this.axis.value) ? this.axis.value : 'block',
      colourBy: isColourBy(this.colour.value) ? this.colour.value : 'coldkey',
    };
  }

  /** The range the sections read: the block inputs or the time inputs, whichever "Range by" shows. */
  range(): RangeParams {
    return rangeParams(this.ui());
  }

  top(): number {
    return clampTop(Number(this.topInput.value));
  }
}

function clampTop(value: number): number {
  return Number.isInteger(value) ? Math.min(MAX_TOP, Math.max(1, value)) : 10;
}

function readBlock(input: HTMLInputElement): number | null {
  return /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : null;
}

function numberInput(id: string, placeholder: string): HTMLInputElement {
  const input = element('input');
  input.type = 'number';
  input.min = '0';
  input.id = id;
  input.placeholder = placeholder;
  return input;
}

function timeInput(id: string): HTMLInputElement {
  const input = element('input');
  input.type = 'datetime-local';
  input.id = id;
  return input;
}

function select(id: string, options: readonly (readonly [string, string])[]): HTMLSelectElement {
  const box = element('select');
  box.id = id;
  for (const [value, text] of options) box.append(Object.assign(element('option', { text }), { value }));
  return box;
}
