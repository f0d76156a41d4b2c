import { firstTag, isHex64, type NostrEvent } from './nostrEvent';

/**
 * ContextVM (CEP-6: replaceable 11316 server, 11317 tools, 11318 resources, 11319 resource templates, 11320 prompts)
 * and the earlier DVMCP draft (addressable 31316 server, 31317 tools, 31318 resources, 31319 prompts, keyed by `d`;
 * lists name their server with an `s` tag). Messages: 25910 (ContextVM: both ways; DVMCP: requests), 26910 (DVMCP
 * responses). Messages are ephemeral: counted live, never stored.
 */
export const CONTEXTVM_ANNOUNCEMENT_KINDS = [11316, 11317, 11318, 11319, 11320, 31316, 31317, 31318, 31319] as const;
export const CONTEXTVM_MESSAGE_KINDS = [25910, 26910] as const;

export type ListPart = 'server' | 'tools' | 'resources' | 'templates' | 'prompts';

const PARTS: Record<number, ListPart> = {
  11316: 'server', 11317: 'tools', 11318: 'resources', 11319: 'templates', 11320: 'prompts',
  31316: 'server', 31317: 'tools', 31318: 'resources', 31319: 'prompts',
};

export function isContextVmKind(kind: number): boolean {
  return kind in PARTS || (CONTEXTVM_MESSAGE_KINDS as readonly number[]).includes(kind);
}

export interface ContextVmAnnouncement {
  readonly type: 'announcement';
  readonly event: NostrEvent;
  readonly part: ListPart;
  readonly protocol: 'contextvm' | 'dvmcp';
  /** Which of the provider's servers: the 31316's `d`, a DVMCP list's `s`; '' for ContextVM. */
  readonly serverId: string;
  /** server part only */
  readonly name?: string;
  readonly about?: string;
  readonly website?: string;
  readonly supportsEncryption?: boolean;
  /** tools part: names; other lists: their length. */
  readonly names?: readonly string[];
}

export interface ContextVmMessage {
  readonly type: 'message';
  readonly event: NostrEvent;
  /** The server's pubkey: the `p` of a request, the author of a response. */
  readonly server: string;
  readonly direction: 'request' | 'response';
}

/** What a ContextVM / DVMCP event says, or undefined for other kinds and for a request naming no server. */
export function parseContextVm(event: NostrEvent): ContextVmAnnouncement | ContextVmMessage | undefined {
  if (event.kind === 25910 || event.kind === 26910) {
    // A response names the request it answers (`e`); ContextVM sends both directions as 25910.
    const answers = event.kind === 26910 || firstTag(event, 'e') !== undefined;
    if (answers) return { type: 'message', event, server: event.pubkey, direction: 'response' };
    const to = firstTag(event, 'p')?.[1];
    return isHex64(to) ? { type: 'message', event, server: to, direction: 'request' } : undefined;
  }
  const part = PARTS[event.kind];
  if (!part) return undefined;
  const protocol: ContextVmAnnouncement['protocol'] = event.kind >= 30000 ? 'dvmcp' : 'contextvm';
  const serverId = protocol === 'contextvm' ? '' : (part === 'server' ? firstTag(event, 'd')?.[1] : firstTag(event, 's')?.[1]) ?? '';
  const content = jsonObject(event.content);
  const base = { type: 'announcement' as const, event, part, protocol, serverId };
  if (part === 'server') {
    const info = content?.serverInfo;
    const infoName = typeof info === 'object' && info !== null ? (info as { name?: unknown }).name : undefined;
    return {
      ...base,
      name: tagText(event, 'name') ?? (typeof infoName === 'string' ? infoName : undefined),
      about: tagText(event, 'about'),
      website: tagText(event, 'website'),
      // CEP-6: the tag's presence; DVMCP wrote a value ("true").
      supportsEncryption: event.tags.some((tag) => tag[0] === 'support_encryption' && tag[1] !== 'false'),
    };
  }
  const listKey = { tools: 'tools', resources: 'resources', templates: 'resourceTemplates', prompts: 'prompts' }[part];
  const list = Array.isArray(content?.[listKey]) ? (content[listKey] as unknown[]) : undefined;
  const listed = list?.map((item) => (typeof item === 'object' && item !== null ? (item as { name?: unknown }).name : undefined))
    .filter((name): name is string => typeof name === 'string');
  // DVMCP also lists each capability as a `cap` tag; used when the content cannot be read.
  const names = listed ?? event.tags.filter((tag) => tag[0] === 'cap' && typeof tag[1] === 'string').map((tag) => tag[1]);
  // A name listed twice is one capability (and would give two tree rows one id).
  return { ...base, names: [...new Set(names)] };
}

function tagText(event: NostrEvent, name: string): string | undefined {
  const value = firstTag(event, name)?.[1];
  return value === undefined || value === '' ? undefined : value;
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
