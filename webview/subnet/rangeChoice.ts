import type { RangeParams } from '../../src/protocol/subnetPanelProtocol';
import type { XAxis } from './axisChoice';
import type { ColourBy } from './colourBy';

/** The controls' persisted part of the page state. */
export interface RangeUi {
  readonly rangeBy: 'block' | 'time';
  readonly fromBlock: number | null;
  readonly toBlock: number | null;
  readonly fromTime: number | null;
  readonly toTime: number | null;
  readonly top: number;
  readonly xAxis: XAxis;
  readonly colourBy: ColourBy;
}

export const RANGE_DEFAULTS: RangeUi = { rangeBy: 'block', fromBlock: null, toBlock: null, fromTime: null, toTime: null, top: 10, xAxis: 'block', colourBy: 'coldkey' };

/** Only the chosen kind of range is sent; an empty end is open. */
export function rangeParams(ui: RangeUi): RangeParams {
  const range: { -readonly [K in keyof RangeParams]: RangeParams[K] } = {};
  if (ui.rangeBy === 'time') {
    if (ui.fromTime !== null) range.fromTime = ui.fromTime;
    if (ui.toTime !== null) range.toTime = ui.toTime;
  } else {
    if (ui.fromBlock !== null) range.fromBlock = ui.fromBlock;
    if (ui.toBlock !== null) range.toBlock = ui.toBlock;
  }
  return range;
}
