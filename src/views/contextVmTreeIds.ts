import type { ContextVmServer } from '../protocol/contextVmProtocol';

/**
 * Tree item ids of the ContextVM section. A server's `serverId` (a DVMCP `d` / `s` tag) and its tool names come from
 * relays: joined raw with ':' a `d` of "x:tool:y" gave a server row the id of another server's tool row, and VS Code
 * rejects the whole tree on a repeated id. Each untrusted part is percent-encoded, so no ':' survives inside one.
 */
export function serverRowId(server: Pick<ContextVmServer, 'pubkey' | 'serverId'>): string {
  return `contextvm:${encodeURIComponent(server.pubkey)}:${encodeURIComponent(server.serverId)}`;
}

/** Tool names are unique per server (contextVmEvents.ts drops repeats), so the name keeps the row's id stable when the list is reordered. */
export function toolRowId(server: Pick<ContextVmServer, 'pubkey' | 'serverId'>, tool: string): string {
  return `${serverRowId(server)}:tool:${encodeURIComponent(tool)}`;
}
