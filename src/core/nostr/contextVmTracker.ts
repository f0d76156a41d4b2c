import type { ContextVmServer } from './contextVmTypes';
import type { ContextVmTraffic } from './contextVmTraffic';

/** Stored servers with their live traffic, newest sign of life first; a date after `now` counts as now. */
export function serversWithTraffic(servers: readonly (Omit<ContextVmServer, 'traffic' | 'lastSeen'> & { lastAt: number })[], traffic: ContextVmTraffic, now: number): ContextVmServer[] {
  return servers.map(({ lastAt, ...server }) => ({
    ...server,
    lastSeen: Math.min(now, Math.max(lastAt, traffic.lastAt(server.pubkey) ?? lastAt)),
    traffic: traffic.of(server.pubkey),
  })).sort((a, b) => b.lastSeen - a.lastSeen);
}
