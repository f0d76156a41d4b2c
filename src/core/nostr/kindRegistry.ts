/**
 * Names of NIP-90 job kinds (request kinds 5000–5999; a result kind is named after its request kind).
 * Built-in names come from the NIP-90 kind registry as DESIGN.md lists it; kinds it does not name may take the
 * name a DVM announced for them in its NIP-89 handler profile (see `announcedKindNames`).
 */
const BUILT_IN: ReadonlyMap<number, string> = new Map([
  [5000, 'text extraction'],
  [5001, 'summarization'],
  [5002, 'translation'],
  [5050, 'text generation'],
  [5100, 'image generation'],
  [5200, 'video conversion'],
  [5250, 'text-to-speech'],
  [5300, 'content discovery'],
  [5301, 'people discovery'],
  [5302, 'content search'],
  [5303, 'people search'],
  [5400, 'event count'],
  [5500, 'malware scanning'],
  [5900, 'event timestamping'],
  [5901, 'OP_RETURN creation'],
  [5905, 'event publish schedule'],
  [5970, 'event PoW delegation'],
]);

export type KindNameSource = 'registry' | 'announced' | 'none';

export interface KindName {
  readonly name: string;
  readonly source: KindNameSource;
}

/** The request kind a kind belongs to: results (6xxx) are named after their request (kind − 1000). */
export function requestKind(kind: number): number {
  return kind >= 6000 && kind <= 6999 ? kind - 1000 : kind;
}

/**
 * The display name of a job kind. `announced` maps request kinds to a name taken from handler profiles; it is
 * only used for kinds the registry does not know, since a DVM's self-description is untrusted text.
 */
export function kindName(kind: number, announced?: ReadonlyMap<number, string>): KindName {
  const request = requestKind(kind);
  const builtIn = BUILT_IN.get(request);
  if (builtIn) return { name: builtIn, source: 'registry' };
  const fromProfile = announced?.get(request);
  if (fromProfile) return { name: fromProfile, source: 'announced' };
  return { name: `kind ${request}`, source: 'none' };
}

export function builtInKinds(): readonly number[] {
  return [...BUILT_IN.keys()];
}
