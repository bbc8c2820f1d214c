import type { Predictor } from '../../ml';
import { LoadedModel } from './loaded-model';

/** A stand-in predictor that records each batch it is asked for (no tfjs in unit tests). */
function fakePredictor(fail = false) {
  const calls: number[] = [];
  const predictor = {
    predictValues: (values: ReadonlyArray<Record<string, unknown>>) => {
      calls.push(values.length);
      if (fail) throw new Error('boom');
      return values.map((v) => ({ ok: true as const, value: v.x as number }));
    },
    dispose: jest.fn(),
  };
  return { predictor: predictor as unknown as Predictor, calls, dispose: predictor.dispose };
}

describe('LoadedModel', () => {
  it('answers concurrent requests with one predict call, each with its own rows in order', async () => {
    const { predictor, calls } = fakePredictor();
    const m = new LoadedModel('m', 1, predictor);
    const [a, b] = await Promise.all([m.predict([{ x: 1 }, { x: 2 }]), m.predict([{ x: 3 }])]);
    expect(calls).toEqual([3]);
    expect(a.map((p) => p.value)).toEqual([1, 2]);
    expect(b.map((p) => p.value)).toEqual([3]);
  });

  it('splits a burst at maxRows without splitting a request', async () => {
    const { predictor, calls } = fakePredictor();
    const m = new LoadedModel('m', 1, predictor, { maxRows: 3 });
    await Promise.all([m.predict([{ x: 1 }, { x: 2 }]), m.predict([{ x: 3 }, { x: 4 }]), m.predict([{ x: 5 }])]);
    expect(calls).toEqual([2, 3]);
  });

  it('waits at most waitMs for a batch to fill, and runs a full batch at once', async () => {
    jest.useFakeTimers();
    try {
      const { predictor, calls } = fakePredictor();
      const sizes: number[] = [];
      const m = new LoadedModel('m', 1, predictor, { maxRows: 4, waitMs: 5, onBatch: (n) => sizes.push(n) });
      const first = m.predict([{ x: 1 }]);
      jest.advanceTimersByTime(4);
      expect(calls).toEqual([]);
      const second = m.predict([{ x: 2 }]);
      jest.advanceTimersByTime(1); // 5 ms after the first request, not after the second
      expect(calls).toEqual([2]);
      await expect(Promise.all([first, second])).resolves.toEqual([[{ ok: true, value: 1 }], [{ ok: true, value: 2 }]]);
      // Four rows fill the batch: no wait at all.
      const full = Promise.all([1, 2, 3, 4].map((x) => m.predict([{ x }])));
      expect(calls).toEqual([2, 4]);
      await full;
      // A request as large as a batch runs alone, immediately.
      await m.predict([{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }, { x: 5 }]);
      expect(calls).toEqual([2, 4, 5]);
      expect(sizes).toEqual([2, 4, 5]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects every request of a failed batch', async () => {
    const { predictor } = fakePredictor(true);
    const m = new LoadedModel('m', 1, predictor);
    await expect(Promise.all([m.predict([{ x: 1 }]), m.predict([{ x: 2 }])])).rejects.toThrow('boom');
  });

  it('frees the weights of an evicted version only after its last request', () => {
    const { predictor, dispose } = fakePredictor();
    const m = new LoadedModel('m', 1, predictor).acquire();
    m.evict();
    expect(dispose).not.toHaveBeenCalled();
    m.release();
    expect(dispose).toHaveBeenCalledTimes(1);
    expect(() => m.acquire()).toThrow(/disposed/);
  });
});
