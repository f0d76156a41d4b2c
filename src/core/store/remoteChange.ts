/**
 * What another process wrote to a shared store (issue 14: a team's collector and editors on one PostgreSQL server),
 * as a Storage reports it (Storage.onRemoteChange), so that the engine refreshes the views it touches. 'all' in a
 * field means "too many to name, refresh everything of that kind"; `domain: 'all'` means notices may have been
 * missed (the listening connection was lost and is back), so every view should reload, and the pins be read again.
 */
export type RemoteChange =
  | {
      readonly domain: 'nostr';
      readonly dvms: readonly string[] | 'all';
      readonly kinds: readonly number[] | 'all';
      readonly jobs: readonly string[] | 'all';
    }
  | { readonly domain: 'bittensor'; readonly netuids: readonly number[] | 'all' }
  /** The pins (what a team watches) changed: the table is tiny, so it is read again whole rather than named. */
  | { readonly domain: 'pins' }
  | { readonly domain: 'all' };

export type RemoteChangeListener = (change: RemoteChange) => void;
