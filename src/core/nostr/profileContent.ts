/**
 * The fields Swarmscope shows of a DVM's NIP-89 handler profile (kind 31990 `content`, JSON) or, failing that,
 * its NIP-01 metadata (kind 0). All of it is untrusted text: lengths are capped and nothing is interpreted.
 */
export interface ProfileFields {
  readonly name: string | undefined;
  readonly about: string | undefined;
  readonly picture: string | undefined;
  readonly lud16: string | undefined;
  readonly encryptionSupported: boolean | undefined;
  readonly cashuAccepted: boolean | undefined;
  /** `nip90Params` as JSON text, kept for display. */
  readonly nip90Params: string | undefined;
}

const MAX_TEXT = 2_000;
const MAX_PARAMS = 8_000;

export function parseProfileContent(content: string): ProfileFields | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const params = record.nip90Params;
  const paramsJson = params === undefined ? undefined : JSON.stringify(params);
  return {
    name: text(record.name) ?? text(record.display_name),
    about: text(record.about),
    picture: text(record.picture) ?? text(record.image),
    lud16: text(record.lud16),
    encryptionSupported: flag(record.encryptionSupported),
    cashuAccepted: flag(record.cashuAccepted),
    nip90Params: paramsJson !== undefined && paramsJson.length <= MAX_PARAMS ? paramsJson : undefined,
  };
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length === 0 ? undefined : trimmed.slice(0, MAX_TEXT);
}

function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
