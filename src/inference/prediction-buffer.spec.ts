import { PredictionBuffer, type PredictionRow } from './prediction-buffer';

const row = (i: number): PredictionRow => ({
  id: `id-${i}`,
  createdAt: new Date(0),
  model: 'm',
  version: 1,
  alias: 'production',
  caller: 'user:x',
  features: {},
  output: {},
  latencyMs: 1,
});

function setup(write: (rows: PredictionRow[]) => Promise<void>, maxRows = 10, batchSize = 3) {
  const drops: number[] = [];
  const errors: unknown[] = [];
  const buffer = new PredictionBuffer(write, { maxRows, batchSize, onDrop: (n) => drops.push(n), onError: (e) => errors.push(e) });
  return { buffer, drops, errors };
}

describe('PredictionBuffer', () => {
  it('writes everything in order, in batches', async () => {
    const written: string[][] = [];
    const { buffer } = setup(async (rows) => void written.push(rows.map((r) => r.id)));
    buffer.append([1, 2, 3, 4, 5].map(row));
    expect(buffer.hasFullBatch).toBe(true);
    await expect(buffer.flush()).resolves.toBe(true);
    expect(written).toEqual([['id-1', 'id-2', 'id-3'], ['id-4', 'id-5']]);
    expect(buffer.snapshot()).toEqual({ buffered: 0, written: 5, dropped: 0, failedFlushes: 0 });
  });

  it('keeps rows while writes fail, drops and reports beyond the bound, then catches up', async () => {
    let down = true;
    const written: string[] = [];
    const { buffer, drops, errors } = setup(async (rows) => {
      if (down) throw new Error('connection refused');
      written.push(...rows.map((r) => r.id));
    }, 4);
    buffer.append([1, 2, 3].map(row));
    await expect(buffer.flush()).resolves.toBe(false);
    expect(errors).toHaveLength(1);
    expect(buffer.append([4, 5, 6].map(row))).toBe(1);
    expect(drops).toEqual([2]);
    expect(buffer.pending('id-4')).toBeDefined();
    down = false;
    await expect(buffer.flush()).resolves.toBe(true);
    expect(written).toEqual(['id-1', 'id-2', 'id-3', 'id-4']);
    expect(buffer.pending('id-4')).toBeUndefined();
    expect(buffer.snapshot()).toEqual({ buffered: 0, written: 4, dropped: 2, failedFlushes: 1 });
  });

  it('rows appended during a write are written by the same flush', async () => {
    const written: string[] = [];
    const holder: { buffer?: PredictionBuffer } = {};
    const { buffer } = setup(async (rows) => {
      if (rows[0].id === 'id-1') holder.buffer!.append([row(9)]);
      written.push(...rows.map((r) => r.id));
    });
    holder.buffer = buffer;
    buffer.append([row(1)]);
    await buffer.flush();
    expect(written).toEqual(['id-1', 'id-9']);
  });
});
