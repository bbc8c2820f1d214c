import { initBackend, loadBundle, parseBundle, rocAuc, trainModel, type TrainResult } from '../../src/ml';
import { loadShipped, reorderKeys, testPart } from '../support/shipped-data';

export interface QualityCase {
  file: string;
  target: string;
  positiveClass: string;
  minRocAuc: number;
}

const SEED = 42;

/** The model-quality checks for one shipped binary dataset, trained with the default settings. */
export function describeBinaryQuality(c: QualityCase): void {
  describe(`${c.file} (default settings, seed ${SEED})`, () => {
    const data = loadShipped(c.file);
    const input = {
      records: data.records,
      schema: data.schema,
      target: c.target,
      task: 'binary' as const,
      family: 'mlp' as const,
      seed: SEED,
      positiveClass: c.positiveClass,
    };
    let first: TrainResult;

    beforeAll(async () => {
      await initBackend();
      first = await trainModel(input);
      const m = first.metrics;
      if (m.task === 'binary') {
        // Figures for the report; no assertion on time (shared machine).
        console.log(
          `${c.file}: backend=${first.backend} rocAuc=${m.rocAuc.toFixed(4)} prAuc=${m.prAuc.toFixed(4)} f1=${m.f1.toFixed(4)} ` +
            `epochs=${first.history.length} best=${first.bestEpoch} trainMs=${first.timings.trainMs.toFixed(0)} totalMs=${first.timings.totalMs.toFixed(0)}`,
        );
      }
    });

    afterAll(() => first?.predictor.dispose());

    it(`reaches ROC AUC >= ${c.minRocAuc} on the held-out test part`, () => {
      expect(first.metrics.task).toBe('binary');
      if (first.metrics.task !== 'binary') return;
      expect(first.metrics.rocAuc).toBeGreaterThanOrEqual(c.minRocAuc);
      expect(first.rowCounts.test).toBeGreaterThan(0.19 * data.records.length);
    });

    it('reports metrics that are really those of the held-out part', () => {
      const test = testPart(data, c.target, SEED);
      const out = first.predictor.predict(test.features);
      const p = out.results.map((r) => (r.ok ? r.probabilities![c.positiveClass] : Number.NaN));
      const y = test.labels.map((l) => (l === c.positiveClass ? 1 : 0));
      expect(first.metrics.task === 'binary' && first.metrics.rocAuc).toBeCloseTo(rocAuc(y, p), 10);
    });

    it('stores a calibration map fitted on the validation split, its ECE no higher after than before there', () => {
      const calibration = parseBundle(first.bundle).calibration;
      expect(calibration?.maps.map((m) => m.class)).toEqual([c.positiveClass]);
      expect(calibration?.rows).toBe(first.rowCounts.validation);
      const { validation, test } = calibration!.ece;
      console.log(
        `${c.file}: calibration=${calibration!.method} ECE(15 bins) validation ${validation.before.toFixed(4)} → ${validation.after.toFixed(4)}, ` +
          `test ${test.before.toFixed(4)} → ${test.after.toFixed(4)}`,
      );
      expect(validation.after).toBeLessThanOrEqual(validation.before);
    });

    it('is deterministic: same data and seed give the same metrics and weights', async () => {
      const again = await trainModel(input);
      expect(again.metrics).toEqual(first.metrics);
      expect(again.history).toEqual(first.history);
      const weights = (b: Buffer) => (JSON.parse(b.toString()) as { model: { weightData: string } }).model.weightData;
      expect(weights(again.bundle)).toBe(weights(first.bundle));
      again.predictor.dispose();
    });

    it('gives the same predictions whatever the key order of a request', () => {
      const { features } = testPart(data, c.target, SEED);
      const a = first.predictor.predict(features);
      const b = first.predictor.predict(features.map(reorderKeys));
      expect(a.results.every((r) => r.ok)).toBe(true);
      expect(b).toEqual(a);
    });

    it('predicts identically after a bundle round trip', async () => {
      const { features } = testPart(data, c.target, SEED);
      const loaded = await loadBundle(first.bundle);
      expect(loaded.predict(features)).toEqual(first.predictor.predict(features));
      expect(loaded.meta.signature).toEqual(first.predictor.meta.signature);
      loaded.dispose();
    });
  });
}
