/**
 * Model time (benchmark, not a test): `npm run bench:model`. predictValues on a trained credit
 * model for 1, 8, 32 and 100 validated records, in this process: p50/p99 over 2,000 calls each.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { initBackend } from '../../src/ml/backend';
import { loadBundle, type Validation } from '../../src/ml/predictor';
import { creditData, featuresOf, trainCreditBundle } from '../../test/support/model-fixtures';
import { printRuntime } from './child';

async function main(): Promise<void> {
  printRuntime();
  const data = creditData();
  const predictor = await loadBundle(await trainCreditBundle(data, 1, 10));
  process.stdout.write(`backend ${await initBackend()}\nrecords  p50 µs  p99 µs  µs/record\n`);
  for (const n of [1, 8, 32, 100]) {
    const values = data.records.slice(0, n).map((r) => (predictor.validate(featuresOf(r)) as Extract<Validation, { ok: true }>).values);
    const times: number[] = [];
    for (let i = 0; i < 2200; i++) {
      const s = performance.now();
      predictor.predictValues(values);
      if (i >= 200) times.push((performance.now() - s) * 1000);
    }
    times.sort((a, b) => a - b);
    const p50 = times[times.length >> 1];
    process.stdout.write(`${String(n).padStart(7)}${p50.toFixed(1).padStart(8)}${times[Math.floor(times.length * 0.99)].toFixed(1).padStart(8)}${(p50 / n).toFixed(2).padStart(11)}\n`);
  }
  predictor.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
