/**
 * ContextVM / DVMCP servers (MCP servers over Nostr; DESIGN.md "ContextVM / DVMCP"), listed apart from NIP-90 DVMs.
 * Every string came from an event: untrusted text.
 */

export interface ContextVmTraffic {
  /** Requests addressed to the server (kind 25910 with its `p` tag, no `e` tag), seen live since `since`. */
  readonly requests: number;
  /** Responses it sent (kind 26910, or 25910 answering an `e`), seen live since `since`. */
  readonly responses: number;
  /**
   * Unix seconds: when this engine started counting. The traffic is ephemeral (NIP-01 kinds 20000–29999): relays keep
   * none of it, so nothing before this can be counted and nothing of it is stored.
   */
  readonly since: number;
}

export interface ContextVmServer {
  readonly pubkey: string;
  readonly npub: string;
  /** The DVMCP `d` tag of its 31316 (a provider may run several servers); '' for ContextVM's one server per key. */
  readonly serverId: string;
  /** 'contextvm': kinds 11316–11320 (CEP-6); 'dvmcp': the addressable 31316–31319 of the earlier DVMCP draft. */
  readonly protocol: 'contextvm' | 'dvmcp';
  /** The `name` tag, else `serverInfo.name` of the announcement; null when no announcement was seen. */
  readonly name: string | null;
  readonly about: string | null;
  readonly website: string | null;
  readonly supportsEncryption: boolean;
  /** Tool names of its newest tools list (11317 / 31317). */
  readonly tools: readonly string[];
  readonly resources: number;
  readonly prompts: number;
  /** Relays its announcements were seen on. */
  readonly relays: readonly string[];
  /** created_at of its newest server announcement (11316 / 31316); null when only a capability list was seen. */
  readonly announcedAt: number | null;
  /** The newest of its announcements' created_at and its live messages' (capped at the clock). */
  readonly lastSeen: number;
  /** Live counts for its pubkey (shared by the servers of one provider). */
  readonly traffic: ContextVmTraffic;
}
