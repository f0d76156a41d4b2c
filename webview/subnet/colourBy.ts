/**
 * What a hotkey's colour follows wherever the panel colours hotkeys (trace lines, animation dots): its coldkey (the
 * owner; hotkeys of one owner share a colour), the hotkey itself (one colour each), or its axon IP (hotkeys served
 * from one machine share a colour). The colour itself comes from keyColours.ts, stable per key and theme-aware.
 */
export type ColourBy = 'coldkey' | 'hotkey' | 'ip';

export const COLOUR_BY: readonly { readonly value: ColourBy; readonly label: string }[] = [
  { value: 'coldkey', label: 'coldkey' },
  { value: 'hotkey', label: 'hotkey' },
  { value: 'ip', label: 'axon IP' },
];

/** The colour key of hotkeys that serve no axon (or whose IP is not known): one shared colour. */
export const NO_IP = 'no axon IP';

export function isColourBy(value: unknown): value is ColourBy {
  return value === 'coldkey' || value === 'hotkey' || value === 'ip';
}

/** The key a hotkey's colour is made from. `ips`: hotkey → axon IP, needed only for 'ip'. */
export function colourKeyOf(by: ColourBy, keys: { readonly hotkey: string; readonly coldkey: string }, ips?: ReadonlyMap<string, string | null>): string {
  switch (by) {
    case 'coldkey':
      return keys.coldkey;
    case 'hotkey':
      return keys.hotkey;
    case 'ip':
      return ips?.get(keys.hotkey) ?? NO_IP;
  }
}

/** How many colours the keys make (what the chart's label tells). */
export function colourCount(keys: Iterable<string>): number {
  return new Set(keys).size;
}
