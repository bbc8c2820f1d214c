import { Counter, Registry } from 'prom-client';
import { strict } from '../../../../test/support/strict';
import { loadConfig } from '../../../config/app-config';
import { PREDICTIONS_FAMILY, ReplicaCountsRecorder } from './replica-counts.recorder';
import type { CountDelta, ReplicaCounts } from './replica-counts';

/** A recorder over a real registry, whose database write waits until `release` is called. */
function recorder() {
  const registry = new Registry();
  const predictions = new Counter({
    name: PREDICTIONS_FAMILY,
    help: 'records',
    labelNames: ['model', 'version', 'alias', 'outcome'],
    registers: [registry],
  });
  const written: CountDelta[][] = [];
  const waiting: (() => void)[] = [];
  const counts = strict<ReplicaCounts>('counts', {
    add: async (_replica: string, _minute: Date, deltas: CountDelta[]) => {
      await new Promise<void>((resolve) => waiting.push(resolve));
      written.push(deltas);
    },
  });
  const r = new ReplicaCountsRecorder(registry, counts, loadConfig({}));
  /** Resolves once a write read the counters and waits for the database. */
  const writing = async () => {
    for (let i = 0; !waiting.length; i++) {
      if (i > 1000) throw new Error('no write reached the database');
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const release = async () => {
    await writing();
    waiting.shift()!();
  };
  return {
    r,
    written,
    writing,
    release,
    ok: (n: number) => predictions.inc({ model: 'credit', version: '1', alias: 'production', outcome: 'ok' }, n),
  };
}

describe('ReplicaCountsRecorder.flush', () => {
  it('a flush asked while a write is under way writes what grew after that write read the counters', async () => {
    const { r, written, writing, release, ok } = recorder();
    ok(3);
    const first = r.flush();
    await writing();
    ok(2);
    const second = r.flush();
    const third = r.flush();
    expect(third).toBe(second);
    await release();
    await first;
    await release();
    await second;
    expect(written).toEqual([
      [{ counter: 'predictions_ok', model: 'credit', value: 3 }],
      [{ counter: 'predictions_ok', model: 'credit', value: 2 }],
    ]);
  });
});
