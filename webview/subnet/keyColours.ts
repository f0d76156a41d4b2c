/**
 * A stable colour per key (coldkey, IP): the same coldkey has the same colour in every chart and every frame. The
 * hue comes from a string hash (FNV-1a); lightness follows the theme so lines read on dark and light backgrounds.
 */
export function keyHue(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % 360;
}

export function keyColour(key: string, light: boolean): string {
  return `hsl(${keyHue(key)}, 70%, ${light ? 38 : 62}%)`;
}

/** Short form of an ss58 key for labels (the whole key stays in tooltips). */
export function shortKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 5)}…${key.slice(-4)}` : key;
}
