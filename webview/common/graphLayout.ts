/** A position on the graph's canvas (vis-network coordinates). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface Link {
  readonly from: string;
  readonly to: string;
}

/** Golden angle: successive nodes around one anchor never line up, however many there are. */
const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const RING_SIZE = 8;

/**
 * Where to put nodes that join a graph already on screen, so that nothing drawn moves (no relayout jump) and the
 * user's zoom and pan stay as they were: each new node goes beside a neighbour that has a place (one drawn, or one
 * placed earlier in this call), on rings around it; a node linked to nothing placed goes around `fallback` (the
 * centre of the view). No DOM here: unit-tested in Node.
 */
export function placeNewNodes(
  newIds: readonly string[],
  links: readonly Link[],
  placed: ReadonlyMap<string, Point>,
  fallback: Point,
  spacing = 120,
): Map<string, Point> {
  const positions = new Map(placed);
  const result = new Map<string, Point>();
  const around = new Map<string, number>();
  const neighbours = new Map<string, string[]>();
  for (const { from, to } of links) {
    (neighbours.get(from) ?? neighbours.set(from, []).get(from)!).push(to);
    (neighbours.get(to) ?? neighbours.set(to, []).get(to)!).push(from);
  }
  const place = (id: string, anchorKey: string, anchor: Point) => {
    const index = around.get(anchorKey) ?? 0;
    around.set(anchorKey, index + 1);
    const radius = spacing * (1 + 0.6 * Math.floor(index / RING_SIZE));
    const angle = index * GOLDEN_ANGLE;
    const point = { x: anchor.x + radius * Math.cos(angle), y: anchor.y + radius * Math.sin(angle) };
    positions.set(id, point);
    result.set(id, point);
  };
  // Breadth by rounds: a chain of new nodes hangs off the node it reaches, one step further each round.
  const spread = (ids: readonly string[]): string[] => {
    let left = [...ids];
    for (let progress = true; left.length > 0 && progress;) {
      progress = false;
      const still: string[] = [];
      for (const id of left) {
        const anchorId = (neighbours.get(id) ?? []).find((other) => positions.has(other));
        if (anchorId === undefined) still.push(id);
        else {
          place(id, anchorId, positions.get(anchorId)!);
          progress = true;
        }
      }
      left = still;
    }
    return left;
  };
  let waiting = spread([...new Set(newIds)].filter((id) => !positions.has(id)));
  // Linked to nothing placed: one goes around the fallback, then what hangs off it, until all have a place.
  while (waiting.length > 0) {
    const [first, ...rest] = waiting;
    place(first, '', fallback);
    waiting = spread(rest);
  }
  return result;
}
