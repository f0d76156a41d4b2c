import type { Messenger } from '../common/messenger';
import type { subnetProtocol, RangeParams } from '../../src/protocol/subnetPanelProtocol';
import type { XAxis } from './axisChoice';
import type { ColourBy } from './colourBy';

/** What every section of the page is given: the link to the host and the shared range / top-N / axis / colour controls. */
export interface SectionContext {
  readonly messenger: Messenger<typeof subnetProtocol>;
  range(): RangeParams;
  top(): number;
  xAxis(): XAxis;
  colourBy(): ColourBy;
  /**
   * hotkey → axon IP in the stored snapshot at the range's end block, or the newest one when the range has no end
   * block (a range by time); read once per end and per stored change. One IP per hotkey for the whole range.
   */
  hotkeyIps(): Promise<ReadonlyMap<string, string | null>>;
  /** Writes a line in the page's status area. */
  say(text: string): void;
}

export interface Section {
  readonly id: string;
  readonly label: string;
  readonly element: HTMLElement;
  /** Reads the section's data again (when shown, when the range, top N, axis or colour changes, when the subnet changed). */
  load(): Promise<void>;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
