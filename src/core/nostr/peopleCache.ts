import { npub } from './dvmNames';

/** Display names and npubs of the people an answer lists, however an adapter looks them up. */
export interface People {
  name(pubkey: string): string | undefined;
  npub(pubkey: string): string;
}
