/** The drift heat map's grid: features × windows of one statistic, from GET …/drift (a SeriesPageDto). */

export interface ResultPoint {
  from: string;
  to: string;
  value: number | null;
  verdict: string | null;
  threshold: number | null;
  details: Record<string, unknown> | null;
}

export interface Series {
  version: number;
  column: string;
  statistic: string;
  points: ResultPoint[];
}

export interface SeriesPage {
  model: string;
  from: string;
  to: string;
  points: number;
  slotSeconds: number;
  series: Series[];
}

export interface DriftCell {
  value: number | null;
  /** The window's verdict for the feature (the `drift` row: its test, e.g. K-S or Jensen-Shannon, decided). */
  verdict: string | null;
  test: string | null;
  from: string;
  to: string;
}

export interface DriftGrid {
  statistic: string;
  version: number | null;
  /** Window ends, oldest first (the columns). */
  windows: string[];
  /** Feature names (the rows): the model output `@prediction` last. */
  features: string[];
  /** cells[feature][window index]; null where the feature has no result for that window. */
  cells: Map<string, (DriftCell | null)[]>;
  /** The distance threshold of the verdicts (MONITORING_DRIFT_* settings), marked on the legend. */
  threshold: number | null;
  /** The p-value threshold of the verdicts by a test (K-S, chi-square) and those tests, when some used one. */
  pValue: { threshold: number; tests: string[] } | null;
}

export const PREDICTION_COLUMN = '@prediction';

/**
 * The statistics the heat map can colour by: distances (0 = same distribution), which the verdicts'
 * distance threshold applies to. Jensen-Shannon first: numeric and categorical features both have it.
 */
export const HEAT_STATISTICS = ['jensen_shannon', 'psi', 'wasserstein'] as const;

/**
 * The statistic the grid shows: the asked one when the page has it, else the first of
 * HEAT_STATISTICS that it has (numeric and categorical features share `psi` and `jensen_shannon`).
 */
export function pickStatistic(page: SeriesPage, asked?: string): string | null {
  const present = new Set(page.series.filter((s) => s.column !== '').map((s) => s.statistic));
  if (asked && present.has(asked)) return asked;
  return HEAT_STATISTICS.find((s) => present.has(s)) ?? null;
}

function mostCommon(values: number[]): number | null {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | null = null;
  for (const [v, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/** The grid of one statistic, of the newest version that has it (unless told which). */
export function driftGrid(page: SeriesPage, statistic: string, version?: number): DriftGrid {
  const ofStatistic = page.series.filter((s) => s.statistic === statistic && s.column !== '');
  const chosen = version ?? Math.max(...ofStatistic.map((s) => s.version));
  const series = ofStatistic.filter((s) => s.version === chosen);
  const verdicts = new Map<string, Map<string, ResultPoint>>();
  for (const s of page.series)
    if (s.statistic === 'drift' && s.version === chosen && s.column !== '')
      verdicts.set(s.column, new Map(s.points.map((p) => [p.to, p])));
  const windows = [...new Set(series.flatMap((s) => s.points.map((p) => p.to)))].sort(
    (a, b) => Date.parse(a) - Date.parse(b),
  );
  const index = new Map(windows.map((w, i) => [w, i]));
  const features = series
    .map((s) => s.column)
    .sort((a, b) => Number(a === PREDICTION_COLUMN) - Number(b === PREDICTION_COLUMN) || a.localeCompare(b));
  const cells = new Map<string, (DriftCell | null)[]>();
  const thresholds: number[] = [];
  const pThresholds: number[] = [];
  const tests = new Set<string>();
  for (const s of series) {
    const row = new Array<DriftCell | null>(windows.length).fill(null);
    for (const p of s.points) {
      const verdict = verdicts.get(s.column)?.get(p.to);
      const test = typeof verdict?.details?.test === 'string' ? verdict.details.test : null;
      if (verdict?.threshold != null) {
        if (verdict.details?.rule === 'distance >= threshold') thresholds.push(verdict.threshold);
        else {
          pThresholds.push(verdict.threshold);
          if (test) tests.add(test);
        }
      }
      row[index.get(p.to)!] = { value: p.value, verdict: verdict?.verdict ?? null, test, from: p.from, to: p.to };
    }
    cells.set(s.column, row);
  }
  return {
    statistic,
    version: series.length ? chosen : null,
    windows,
    features,
    cells,
    threshold: mostCommon(thresholds),
    pValue: pThresholds.length ? { threshold: mostCommon(pThresholds)!, tests: [...tests].sort() } : null,
  };
}

/** Whether the window's test found drift in the feature (the cell is marked). */
export function isDrifted(cell: DriftCell): boolean {
  return cell.verdict === 'drift';
}
