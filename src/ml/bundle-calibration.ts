import {
  calibrate,
  calibrateRow,
  chooseCalibrationMethod,
  ECE_BINS,
  expectedCalibrationError,
  fitCalibrationMap,
  topLabelCalibrationError,
  type CalibrationMap,
  type CalibrationMethod,
} from './calibration';
import { BundleFormatError } from './errors';
import type { CellValue } from './schema';
import type { TargetEncoding } from './target';

/** ECE before and after the map, on one split. */
export interface EceBeforeAfter {
  before: number;
  after: number;
}

/**
 * The calibration a classifier's bundle carries. Served probabilities stay raw; monitoring's
 * estimates (CBPE) apply the maps. Binary: one map, of the positive class; multiclass: one per
 * class, in `target.classes` order.
 */
export interface BundleCalibration {
  method: CalibrationMethod;
  maps: { class: string; map: CalibrationMap }[];
  /** Rows of the validation split the maps were fitted on. */
  rows: number;
  ece: {
    bins: number;
    /** Binary: ECE of the positive-class probability; multiclass: top-label ECE (Guo et al. 2017). */
    of: 'positiveClass' | 'topLabel';
    /** In-sample: the maps were fitted on these rows. */
    validation: EceBeforeAfter;
    /** Held out: the honest figure. */
    test: EceBeforeAfter;
  };
}

/** One split's raw outputs and labels, as the trainer has them. */
export interface LabelledOutputs {
  labels: CellValue[];
  out: ArrayLike<number>;
}

/** Fits the maps on the validation outputs and measures ECE on validation and test; null for regression. */
export function fitBundleCalibration(
  target: TargetEncoding,
  validation: LabelledOutputs,
  test: LabelledOutputs,
  method: CalibrationMethod = chooseCalibrationMethod(validation.labels.length),
): BundleCalibration | null {
  if (target.task === 'regression') return null;
  const rows = validation.labels.length;
  if (target.task === 'binary') {
    const isPositive = (labels: CellValue[]) => labels.map((v) => (String(v) === target.positiveClass ? 1 : 0));
    const map = fitCalibrationMap(validation.out, isPositive(validation.labels), method);
    const measure = (s: LabelledOutputs): EceBeforeAfter => {
      const y = isPositive(s.labels);
      return {
        before: expectedCalibrationError(y, s.out),
        after: expectedCalibrationError(
          y,
          Float64Array.from(s.out, (p) => calibrate(map, p)),
        ),
      };
    };
    return {
      method,
      maps: [{ class: target.positiveClass!, map }],
      rows,
      ece: { bins: ECE_BINS, of: 'positiveClass', validation: measure(validation), test: measure(test) },
    };
  }
  const classes = target.classes!;
  const k = classes.length;
  const indexOf = (labels: CellValue[]) => labels.map((v) => classes.indexOf(String(v)));
  const yVal = indexOf(validation.labels);
  const maps = classes.map((name, c) => ({
    class: name,
    map: fitCalibrationMap(
      Float64Array.from({ length: rows }, (_, i) => validation.out[i * k + c]),
      yVal.map((t) => (t === c ? 1 : 0)),
      method,
    ),
  }));
  const measure = (s: LabelledOutputs): EceBeforeAfter => {
    const n = s.labels.length;
    const calibrated = new Float64Array(n * k);
    for (let i = 0; i < n; i++)
      calibrated.set(
        calibrateRow(
          maps.map((m) => m.map),
          Array.prototype.slice.call(s.out, i * k, (i + 1) * k) as number[],
        ),
        i * k,
      );
    const y = indexOf(s.labels);
    return { before: topLabelCalibrationError(y, s.out, k), after: topLabelCalibrationError(y, calibrated, k) };
  };
  return {
    method,
    maps,
    rows,
    ece: { bins: ECE_BINS, of: 'topLabel', validation: measure(validation), test: measure(test) },
  };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkMap(map: unknown, where: string): void {
  const m = map as Partial<CalibrationMap> | null;
  if (m?.method === 'platt') {
    if (!finite(m.slope) || !finite(m.intercept))
      throw new BundleFormatError(`${where}: Platt needs a finite slope and intercept`);
    return;
  }
  if (m?.method === 'isotonic') {
    const { x, y } = m;
    const ok =
      Array.isArray(x) &&
      Array.isArray(y) &&
      x.length > 0 &&
      x.length === y.length &&
      x.every((v, i) => finite(v) && (i === 0 || v > x[i - 1])) &&
      y.every((v, i) => finite(v) && v >= 0 && v <= 1 && (i === 0 || v >= y[i - 1]));
    if (!ok)
      throw new BundleFormatError(
        `${where}: isotonic needs increasing x and non-decreasing y in [0, 1] of equal length`,
      );
    return;
  }
  throw new BundleFormatError(`${where}: unknown calibration method ${JSON.stringify(m?.method)}`);
}

/** Checks a bundle's calibration (absent or null is fine: bundles made before it existed have none). */
export function checkBundleCalibration(calibration: unknown, target: TargetEncoding): void {
  if (calibration === undefined || calibration === null) return;
  const c = calibration as Partial<BundleCalibration>;
  if (!Array.isArray(c.maps)) throw new BundleFormatError('calibration.maps must be an array');
  const expected = target.task === 'binary' ? [target.positiveClass] : (target.classes ?? []);
  const names = c.maps.map((m) => (m as { class?: unknown } | null)?.class);
  if (names.length !== expected.length || names.some((n, i) => n !== expected[i]))
    throw new BundleFormatError(`calibration.maps must be of the classes ${JSON.stringify(expected)}`);
  c.maps.forEach((m, i) => checkMap(m.map, `calibration.maps[${i}]`));
}
