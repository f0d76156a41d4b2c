// ContextVM / DVMCP servers: the core owns the data types (issue 14); the protocol re-exports them.
export type { ContextVmServer, ContextVmTraffic } from '../core/nostr/contextVmTypes';
