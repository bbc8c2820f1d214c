import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  calibrate,
  calibrateRow,
  chooseCalibrationMethod,
  expectedCalibrationError,
  fitIsotonic,
  fitPlatt,
  topLabelCalibrationError,
  type CalibrationMap,
} from './calibration';
import { mulberry32 } from './random';

/** Made by scripts/fixtures/calibration_reference.py (scikit-learn). */
interface CalibrationFixture {
  isotonic: {
    name: string;
    p: number[];
    y: number[];
    thresholdsX: number[];
    thresholdsY: number[];
    probes: number[];
    predictions: number[];
  }[];
  platt: {
    name: string;
    p: number[];
    y: number[];
    sklearn: { slope: number; intercept: number };
    newton: { slope: number; intercept: number };
    probes: number[];
    predictions: number[];
    sklearnPredictions: number[];
  }[];
  ece: { name: string; p: number[]; y: number[]; bins: number; ece: number; eceAfterIsotonic: number }[];
}
const fixture = JSON.parse(
  readFileSync(join(__dirname, 'fixtures/calibration-values.json'), 'utf8'),
) as CalibrationFixture;

const closeTo = (actual: number[], expected: number[], tol: number) =>
  expected.forEach((e, i) => expect(Math.abs(actual[i] - e)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e))));

/** Scores uniform on [0, 1]; labels drawn with probability score^power (power > 1: over-confident). */
function miscalibrated(n: number, power: number, seed: number) {
  const rng = mulberry32(seed);
  const p = Array.from({ length: n }, () => rng());
  const y = p.map((s) => (rng() < s ** power ? 1 : 0));
  return { p, y };
}

describe('isotonic calibration (against scikit-learn IsotonicRegression)', () => {
  it.each(fixture.isotonic.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const map = fitIsotonic(c.p, c.y);
    closeTo(map.x, c.thresholdsX, 1e-12);
    closeTo(map.y, c.thresholdsY, 1e-12);
    expect(map.x).toHaveLength(c.thresholdsX.length);
    closeTo(
      c.probes.map((x) => calibrate(map, x)),
      c.predictions,
      1e-12,
    );
  });

  it('is monotone and stays in [0, 1]', () => {
    const { p, y } = miscalibrated(3000, 2, 7);
    const map = fitIsotonic(p, y);
    const grid = Array.from({ length: 1001 }, (_, i) => calibrate(map, i / 1000));
    grid.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      if (i > 0) expect(v).toBeGreaterThanOrEqual(grid[i - 1]);
    });
  });
});

describe('Platt calibration (against scikit-learn _sigmoid_calibration)', () => {
  it.each(fixture.platt.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const map = fitPlatt(c.p, c.y);
    // The script's own Newton fit runs to machine precision; sklearn's L-BFGS stops near 1e-8.
    closeTo([map.slope, map.intercept], [c.newton.slope, c.newton.intercept], 1e-9);
    closeTo([map.slope, map.intercept], [c.sklearn.slope, c.sklearn.intercept], 1e-6);
    closeTo(
      c.probes.map((x) => calibrate(map, x)),
      c.predictions,
      1e-9,
    );
  });
});

describe('expected calibration error (15 equal-width bins, Guo et al. 2017)', () => {
  it.each(fixture.ece.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expect(expectedCalibrationError(c.y, c.p, c.bins)).toBeCloseTo(c.ece, 12);
    const map = fitIsotonic(c.p, c.y);
    expect(
      expectedCalibrationError(
        c.y,
        c.p.map((x) => calibrate(map, x)),
        c.bins,
      ),
    ).toBeCloseTo(c.eceAfterIsotonic, 12);
  });

  it('is 0 for a perfect reliability diagram and |mean(y) − mean(p)| in one bin', () => {
    expect(expectedCalibrationError([0, 1], [0, 1])).toBe(0);
    expect(expectedCalibrationError([1, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0);
    expect(expectedCalibrationError([1, 1, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBeCloseTo(0.25, 15);
    expect(expectedCalibrationError([], [])).toBeNaN();
  });

  it.each(['isotonic', 'platt'] as const)(
    'drops on held-out rows when %s calibrates an over-confident model',
    (method) => {
      const fit = miscalibrated(4000, 3, 11);
      const held = miscalibrated(4000, 3, 12);
      const map: CalibrationMap = method === 'isotonic' ? fitIsotonic(fit.p, fit.y) : fitPlatt(fit.p, fit.y);
      const before = expectedCalibrationError(held.y, held.p);
      const after = expectedCalibrationError(
        held.y,
        held.p.map((x) => calibrate(map, x)),
      );
      expect(before).toBeGreaterThan(0.15);
      expect(after).toBeLessThan(before / 4);
    },
  );

  it('top-label ECE takes the argmax and its probability', () => {
    // Rows 1 and 2 are right with confidence 0.6, row 3 wrong with 0.9.
    const probs = [0.6, 0.3, 0.1, 0.2, 0.6, 0.2, 0.05, 0.05, 0.9];
    expect(topLabelCalibrationError([0, 1, 0], probs, 3)).toBeCloseTo((2 / 3) * 0.4 + (1 / 3) * 0.9, 12);
  });
});

describe('choosing and applying maps', () => {
  it('uses isotonic from 1,000 validation rows on, Platt below', () => {
    expect(chooseCalibrationMethod(999)).toBe('platt');
    expect(chooseCalibrationMethod(1000)).toBe('isotonic');
  });

  it('renormalises a one-vs-rest calibrated row', () => {
    const maps: CalibrationMap[] = [
      { method: 'platt', slope: 1, intercept: 0.5 },
      { method: 'isotonic', x: [0, 1], y: [0, 0.5] },
      { method: 'platt', slope: 2, intercept: 0 },
    ];
    const row = calibrateRow(maps, [0.5, 0.3, 0.2]);
    expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const raw = [calibrate(maps[0], 0.5), 0.15, calibrate(maps[2], 0.2)];
    const total = raw[0] + raw[1] + raw[2];
    closeTo(
      Array.from(row),
      raw.map((v) => v / total),
      1e-12,
    );
  });
});
