/**
 * Engine requests and notifications of the Nostr DVM half. Method names start with `nostr.`.
 * (Filled in by the Nostr engine; kept separate so that each domain owns its own protocol file.)
 */
export interface NostrMethods {}

export const NOSTR_METHODS: readonly (keyof NostrMethods & string)[] = [];

export type NostrNotification = never;
