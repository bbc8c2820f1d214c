import { performance } from 'node:perf_hooks';
import type { Predictor, Validation } from '../../src/ml/predictor';
import type { CellValue } from '../../src/ml/schema';

/**
 * Model time of `predictValues` on these records (validated first, as the service does), in
 * this process: p50 and p99 in ms over `calls` calls, after `warmUp` untimed ones.
 */
export function modelTime(
  predictor: Predictor,
  records: Record<string, CellValue>[],
  calls: number,
  warmUp: number,
): { p50: number; p99: number } {
  const values = records.map((r) => (predictor.validate(r) as Extract<Validation, { ok: true }>).values);
  for (let i = 0; i < warmUp; i++) predictor.predictValues(values);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    predictor.predictValues(values);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[times.length >> 1], p99: times[Math.floor(times.length * 0.99)] };
}
