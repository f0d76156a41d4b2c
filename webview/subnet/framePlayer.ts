import type { AnimationFrame } from '../../src/protocol/bittensorProtocol';

/**
 * The animation's position, without timers or DOM: which frame is shown, stepping (clamped at the ends; playing
 * wraps from the last frame to the first), and a frame as scatter points. animationSection.ts drives it.
 */
export class FramePlayer {
  private current = 0;

  constructor(private count: number) {}

  get index(): number {
    return this.current;
  }

  get total(): number {
    return this.count;
  }

  /** New frames arrived (another range, a new snapshot): keep the position when it still exists. */
  reset(count: number): void {
    this.count = count;
    this.current = Math.min(this.current, Math.max(0, count - 1));
  }

  seek(index: number): number {
    this.current = this.count === 0 ? 0 : Math.min(this.count - 1, Math.max(0, Math.trunc(index)));
    return this.current;
  }

  step(delta: number): number {
    return this.seek(this.current + delta);
  }

  /** The next frame while playing: after the last comes the first. */
  tick(): number {
    this.current = this.count === 0 ? 0 : (this.current + 1) % this.count;
    return this.current;
  }
}

export interface ScatterPoint {
  readonly x: number;
  readonly y: number;
  readonly uid: number;
  /** Indexes into the page's hotkey and coldkey lists. */
  readonly hotkey: number;
  readonly coldkey: number;
}

/** One dot per UID of the frame: stake on x, incentive (miners) or dividends (validators) on y. */
export function framePoints(frame: AnimationFrame, y: 'incentive' | 'dividends'): ScatterPoint[] {
  const values = frame[y];
  return frame.uids.map((uid, i) => ({ x: frame.stake[i], y: values[i], uid, hotkey: frame.hotkeys[i], coldkey: frame.coldkeys[i] }));
}
