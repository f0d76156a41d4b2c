import { themeColor } from '../common/theme';

/** 256 RGB steps from the "empty cell" colour to the theme accent; rebuilt on theme change. */
export interface Palette {
  /** RGB triplets, 256 × 3; index 0 is an empty (unset) cell. */
  readonly steps: Uint8ClampedArray;
  readonly empty: string;
  readonly accent: string;
  readonly text: string;
  readonly highlight: string;
}

const STEPS = 256;
/** Where a tiny non-zero value starts, so that "set but small" never looks like "unset". */
const FLOOR = 0.14;

export function themePalette(accentVariable: string, accentFallback: string): Palette {
  const background = themeColor('--vscode-editor-background', '#1e1e1e');
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const backgroundRgb = toRgb(background, [30, 30, 30]);
  // Empty cells are the background nudged towards the text colour, so the grid's extent stays visible.
  const emptyRgb = mix(backgroundRgb, toRgb(foreground, [204, 204, 204]), 0.08);
  const accentRgb = toRgb(themeColor(accentVariable, accentFallback), [55, 148, 255]);
  const steps = new Uint8ClampedArray(STEPS * 3);
  for (let step = 0; step < STEPS; step++) {
    const t = step === 0 ? 0 : FLOOR + (1 - FLOOR) * (step / (STEPS - 1));
    steps.set(mix(emptyRgb, accentRgb, t), step * 3);
  }
  return {
    steps,
    empty: css(emptyRgb),
    accent: css(accentRgb),
    text: foreground,
    highlight: themeColor('--vscode-focusBorder', '#007fd4'),
  };
}

/** Palette index of an intensity 0–1 (0 stays "empty"; anything above it gets at least step 1). */
export function stepOf(intensity: number): number {
  if (!(intensity > 0)) return 0;
  return Math.max(1, Math.min(STEPS - 1, Math.round(intensity * (STEPS - 1))));
}

/** CSS colour of an intensity, for the legend's gradient. */
export function colourAt(palette: Palette, intensity: number): string {
  const offset = stepOf(intensity) * 3;
  return `rgb(${palette.steps[offset]}, ${palette.steps[offset + 1]}, ${palette.steps[offset + 2]})`;
}

type Rgb = [number, number, number];

/** Any CSS colour (theme variables may be hex, rgb() or rgba()) to opaque RGB, through a 1 × 1 canvas. */
function toRgb(colour: string, fallback: Rgb): Rgb {
  const context = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!context) return fallback;
  context.fillStyle = css(fallback);
  context.fillRect(0, 0, 1, 1);
  context.fillStyle = colour;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

function mix(from: Rgb, to: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(from[i] + (to[i] - from[i]) * t)) as Rgb;
}

function css([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}
