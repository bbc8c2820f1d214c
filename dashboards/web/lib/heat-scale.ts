/**
 * The drift heat map's colours: viridis (perceptually uniform, readable in the common forms of
 * colour blindness and in greyscale), sampled at 9 stops and interpolated linearly in RGB.
 */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

export interface HeatScale {
  /** The value mapped to the brightest colour (values above it saturate). */
  max: number;
  threshold: number | null;
}

/**
 * The scale of a grid: from 0 to twice the threshold, or the largest value when that is higher, so
 * the threshold always sits inside (at the middle, or below) and "over" reads as the yellow half.
 */
export function scaleFor(values: (number | null)[], threshold: number | null): HeatScale {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const top = Math.max(0, ...finite);
  const max = threshold !== null && threshold > 0 ? Math.max(threshold * 2, top) : top;
  return { max: max > 0 ? max : 1, threshold };
}

/** Position of a value on the scale, 0…1. */
export function position(value: number, scale: HeatScale): number {
  if (!Number.isFinite(value) || value <= 0) return 0;
  return Math.min(1, value / scale.max);
}

function hex(rgb: [number, number, number]): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

export function colourAt(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  return hex([a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f]);
}

export function colourOf(value: number | null, scale: HeatScale): string | null {
  return value === null ? null : colourAt(position(value, scale));
}

/** Text colour readable on a cell (dark on the bright half of viridis, white on the dark half). */
export function inkOn(value: number | null, scale: HeatScale): string {
  return value !== null && position(value, scale) > 0.55 ? '#111111' : '#ffffff';
}

/** Legend stops (value, colour) from 0 to the scale's top. */
export function legend(scale: HeatScale, stops = 5): { value: number; colour: string }[] {
  return Array.from({ length: stops }, (_, i) => {
    const t = i / (stops - 1);
    return { value: t * scale.max, colour: colourAt(t) };
  });
}
