/** What the user watches, as both stores keep it: a DVM pubkey (domain 'dvm') or a hotkey (domain 'hotkey'). */
export type PinDomain = 'dvm' | 'hotkey';

export interface Pin {
  readonly domain: PinDomain;
  readonly key: string;
  readonly label: string | undefined;
  readonly createdAt: number;
}
