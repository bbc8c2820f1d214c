/**
 * Model time (benchmark, not a test): `npm run bench:model`. predictValues on a trained credit
 * model for 1, 8, 32 and 100 validated records, in this process: p50/p99 over 2,000 calls each.
 */
import 'reflect-metadata';
import { initBackend } from '../../src/ml/backend';
import { loadBundle } from '../../src/ml/predictor';
import { creditData, featuresOf, trainCreditBundle } from '../../test/support/model-fixtures';
import { printRuntime } from './child';
import { modelTime } from './model-calls';

async function main(): Promise<void> {
  printRuntime();
  const data = creditData();
  const predictor = await loadBundle(await trainCreditBundle(data, 1, 10));
  process.stdout.write(`backend ${await initBackend()}\nrecords  p50 µs  p99 µs  µs/record\n`);
  for (const n of [1, 8, 32, 100]) {
    const { p50, p99 } = modelTime(predictor, data.records.slice(0, n).map(featuresOf), 2000, 200);
    const us = (ms: number) => (ms * 1000).toFixed(1);
    process.stdout.write(
      `${String(n).padStart(7)}${us(p50).padStart(8)}${us(p99).padStart(8)}${((p50 * 1000) / n).toFixed(2).padStart(11)}\n`,
    );
  }
  predictor.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
