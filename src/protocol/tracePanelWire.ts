/**
 * The trace's JSON as it crosses to the webview, in a third of the size. A chain of 20 jobs × 5 DVMs names each
 * event id, pubkey and node id four or five times over (node, edges, timeline row, DVM summary), and repeats the
 * same dozen field names on a thousand objects: 600 KB of JSON. Here
 * - every string of MIN_LENGTH characters or more goes into one table, and the body holds `#<base-36 position>` in
 *   its place. A string of the body that starts with `#` is always a reference (short strings starting with `#` go
 *   in the table too), so any text survives the trip exactly;
 * - an object is `[shape + 1, ...values]`, its keys listed once in `shapes`; an array is `[0, ...items]`.
 * Pure, no DOM and no vscode: both sides use it, and the unit tests run it in Node.
 */
export interface InternedJson {
  readonly strings: readonly string[];
  readonly shapes: readonly (readonly string[])[];
  readonly body: unknown;
}

const MIN_LENGTH = 12;
const REF = '#';
const ARRAY = 0;

export function internJson(value: unknown): InternedJson {
  const strings: string[] = [];
  const positions = new Map<string, number>();
  const shapes: string[][] = [];
  const shapeIds = new Map<string, number>();
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      if (item.length < MIN_LENGTH && !item.startsWith(REF)) return item;
      let at = positions.get(item);
      if (at === undefined) {
        at = strings.push(item) - 1;
        positions.set(item, at);
      }
      return REF + at.toString(36);
    }
    if (Array.isArray(item)) return [ARRAY, ...item.map(walk)];
    if (typeof item === 'object' && item !== null) {
      const keys = Object.keys(item).filter((key) => (item as Record<string, unknown>)[key] !== undefined);
      const signature = keys.join('\n');
      let shape = shapeIds.get(signature);
      if (shape === undefined) {
        shape = shapes.push(keys) - 1;
        shapeIds.set(signature, shape);
      }
      return [shape + 1, ...keys.map((key) => walk((item as Record<string, unknown>)[key]))];
    }
    return item;
  };
  const body = walk(value);
  return { strings, shapes, body };
}

/** The value again; undefined when the wire is malformed (a reference past a table, a table of the wrong type). */
export function expandJson(wire: unknown): unknown {
  if (typeof wire !== 'object' || wire === null) return undefined;
  const { strings, shapes, body } = wire as { strings?: unknown; shapes?: unknown; body?: unknown };
  if (!Array.isArray(strings) || !strings.every((item) => typeof item === 'string')) return undefined;
  if (!Array.isArray(shapes) || !shapes.every((keys) => Array.isArray(keys) && keys.every((key) => typeof key === 'string'))) return undefined;
  let broken = false;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') {
      if (!item.startsWith(REF)) return item;
      const at = /^#[0-9a-z]{1,8}$/.test(item) ? parseInt(item.slice(1), 36) : -1;
      if (at < 0 || at >= strings.length) broken = true;
      return strings[at];
    }
    if (Array.isArray(item)) {
      const [tag, ...rest] = item as unknown[];
      if (tag === ARRAY) return rest.map(walk);
      const keys = Number.isSafeInteger(tag) ? (shapes[(tag as number) - 1] as string[] | undefined) : undefined;
      if (!keys || keys.length !== rest.length) {
        broken = true;
        return undefined;
      }
      const out: Record<string, unknown> = {};
      // `__proto__` as a key would set the copy's prototype; no trace field is named so.
      keys.forEach((key, index) => {
        if (key !== '__proto__') out[key] = walk(rest[index]);
      });
      return out;
    }
    if (typeof item === 'object' && item !== null) broken = true;
    return item;
  };
  const value = walk(body);
  return broken ? undefined : value;
}
