import { BATCH_BYTES, PredictionBuffer } from './prediction-buffer';

const line = (i: number) => `id-${i}\tm\t1\n`;
/** Appends a row whose bytes are `text` as UTF-8, with the room its length may take. */
const appendText = (buffer: PredictionBuffer, text: string) =>
  buffer.append(3 * text.length, (bytes, at) => at + bytes.write(text, at));
/** The ids in a written batch, in order. */
const idsOf = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]);

interface Options {
  maxRows?: number;
  batchSize?: number;
  retryDelayMs?: number;
  batchesPerWrite?: number;
}

/**
 * A buffer whose writer gets each write's batches as text (decoded at once: the buffer reuses the
 * bytes), joined and one by one. One batch a write unless told.
 */
function setup(
  write: (text: string, retry: boolean, batches: string[]) => Promise<void>,
  { maxRows = 10, batchSize = 3, retryDelayMs = 0, batchesPerWrite = 1 }: Options = {},
) {
  const drops: number[] = [];
  const errors: unknown[] = [];
  const buffer = new PredictionBuffer(
    (bytes, retry) => {
      const batches = bytes.map((b) => b.toString('utf8'));
      return write(batches.join(''), retry, batches);
    },
    {
      maxRows,
      batchSize,
      batchesPerWrite,
      retryDelayMs,
      onDrop: (total) => drops.push(total),
      onError: (e) => errors.push(e),
    },
  );
  const append = (...ids: number[]) => ids.map((i) => appendText(buffer, line(i)));
  return { buffer, append, drops, errors };
}

describe('PredictionBuffer', () => {
  it('writes everything in order, in batches of joined lines', async () => {
    const written: string[] = [];
    const { buffer, append } = setup(async (text) => void written.push(text));
    append(1, 2, 3, 4, 5);
    expect(buffer.hasFullBatch).toBe(true);
    await expect(buffer.flush()).resolves.toBe(true);
    expect(written).toEqual([line(1) + line(2) + line(3), line(4) + line(5)]);
    expect(buffer.snapshot()).toEqual({ buffered: 0, written: 5, dropped: 0, failedFlushes: 0 });
  });

  it('keeps rows while writes fail, drops and reports beyond the bound, then catches up', async () => {
    let down = true;
    const written: string[] = [];
    const retries: boolean[] = [];
    const { buffer, append, drops, errors } = setup(
      async (text, retry) => {
        retries.push(retry);
        if (down) throw new Error('connection refused');
        written.push(...idsOf(text));
      },
      { maxRows: 4 },
    );
    append(1, 2, 3);
    await expect(buffer.flush()).resolves.toBe(false);
    expect(errors).toHaveLength(1);
    expect(append(4, 5, 6)).toEqual([true, false, false]);
    expect(drops).toEqual([1, 2]);
    down = false;
    await expect(buffer.flush()).resolves.toBe(true);
    expect(written).toEqual(['id-1', 'id-2', 'id-3', 'id-4']);
    // Only the batch that had failed is written as a retry (the writer skips rows already stored).
    expect(retries).toEqual([false, true, false]);
    expect(buffer.snapshot()).toEqual({ buffered: 0, written: 4, dropped: 2, failedFlushes: 1 });
  });

  it('after a failed write, appends leave it to the next flush for retryDelayMs', async () => {
    jest.useFakeTimers();
    try {
      let attempts = 0;
      const { buffer, append } = setup(
        async () => {
          attempts++;
          throw new Error('connection refused');
        },
        { maxRows: 100, retryDelayMs: 1000 },
      );
      append(1, 2, 3);
      await expect(buffer.writeFullBatches()).resolves.toBe(false);
      append(4, 5, 6);
      await expect(buffer.writeFullBatches()).resolves.toBe(false);
      expect(attempts).toBe(1);
      await expect(buffer.flush()).resolves.toBe(false);
      expect(attempts).toBe(2);
      jest.advanceTimersByTime(1000);
      await expect(buffer.writeFullBatches()).resolves.toBe(false);
      expect(attempts).toBe(3);
      expect(buffer.snapshot()).toMatchObject({ buffered: 6, failedFlushes: 3 });
    } finally {
      jest.useRealTimers();
    }
  });

  it('writes full batches as they fill and leaves the partial rest to flush', async () => {
    const written: string[][] = [];
    const { buffer, append } = setup(async (text) => void written.push(idsOf(text)));
    append(1, 2, 3, 4, 5, 6, 7);
    await expect(buffer.writeFullBatches()).resolves.toBe(true);
    expect(written).toEqual([
      ['id-1', 'id-2', 'id-3'],
      ['id-4', 'id-5', 'id-6'],
    ]);
    expect(buffer.size).toBe(1);
    await expect(buffer.flush()).resolves.toBe(true);
    expect(written.at(-1)).toEqual(['id-7']);
    expect(buffer.snapshot()).toMatchObject({ buffered: 0, written: 7 });
  });

  it('does not chase rows appended during a write with small batches', async () => {
    const written: number[][] = [];
    let nextId = 4;
    const holder: { append?: (...ids: number[]) => boolean[] } = {};
    const { buffer, append } = setup(async (text) => {
      // Two rows arrive during each write (the first few), as under steady traffic.
      if (nextId < 14) holder.append!(nextId++, nextId++);
      written.push(idsOf(text).map((id) => Number(id.slice(3))));
    });
    holder.append = append;
    append(1, 2, 3);
    await buffer.writeFullBatches();
    expect(written).toEqual([[1, 2, 3]]);
    expect(buffer.size).toBe(2);
    append(nextId++);
    await buffer.writeFullBatches();
    expect(written).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(buffer.size).toBe(2);
  });

  it('a flush writes what was buffered when it was called; later rows wait for a full batch or the next flush', async () => {
    const written: string[] = [];
    const holder: { append?: (...ids: number[]) => boolean[] } = {};
    const { buffer, append } = setup(async (text) => {
      if (text.startsWith('id-1\t')) holder.append!(9);
      written.push(...idsOf(text));
    });
    holder.append = append;
    append(1);
    await expect(buffer.flush()).resolves.toBe(true);
    expect(written).toEqual(['id-1']);
    expect(buffer.size).toBe(1);
    await expect(buffer.flush()).resolves.toBe(true);
    expect(written).toEqual(['id-1', 'id-9']);
  });

  it('a flush during a run of full batches also gets the partial rest written', async () => {
    const written: string[] = [];
    const { buffer, append } = setup(async (text) => void written.push(...idsOf(text)));
    append(1, 2, 3);
    const run = buffer.writeFullBatches();
    append(4);
    // The flush joins the run: the run writes the partial batch too before it resolves.
    await Promise.all([run, buffer.flush()]);
    expect(written).toEqual(['id-1', 'id-2', 'id-3', 'id-4']);
  });

  it('writes rows as their writers wrote them, and a row longer than a batch whole', async () => {
    const written: string[] = [];
    const { buffer } = setup(async (text) => void written.push(text), { batchSize: 1000 });
    for (const t of ['caf\u00e9\t\u6f22\u5b57\t\ud83d\ude00\n', `${'x'.repeat(BATCH_BYTES)}\n`, 'end\n'])
      appendText(buffer, t);
    await expect(buffer.flush()).resolves.toBe(true);
    // The long row did not fit beside the first: it closed that batch and opened one as large as it needs.
    // Long lines compared by first character and length, without printing a megabyte.
    const rows = written.map((w) =>
      w
        .split('\n')
        .filter(Boolean)
        .map((l) => (l.length > 100 ? `${l[0]}*${l.length}` : l)),
    );
    expect(rows).toEqual([['caf\u00e9\t\u6f22\u5b57\t\ud83d\ude00'], [`x*${BATCH_BYTES}`, 'end']]);
  });

  it('closes a batch whose memory cannot take the next row, before it has batchSize rows', async () => {
    const written: string[] = [];
    const { buffer } = setup(async (text) => void written.push(text), { batchSize: 1000 });
    // Each needs room for 3 bytes a character (half a batch) and takes a sixth: the fourth does not fit.
    const sixth = Math.floor(BATCH_BYTES / 6);
    const big = (c: string) => `${c.repeat(sixth)}\n`;
    for (const c of 'abcd') appendText(buffer, big(c));
    expect(buffer.hasFullBatch).toBe(true);
    await expect(buffer.flush()).resolves.toBe(true);
    // Compared by their first characters and lengths: the texts are megabytes.
    expect(
      written.map((w) =>
        w
          .split('\n')
          .filter(Boolean)
          .map((l) => `${l[0]}${l.length}`),
      ),
    ).toEqual([['a', 'b', 'c'].map((c) => `${c}${sixth}`), [`d${sixth}`]]);
  });

  it('reuses the memory of written batches without mixing their rows', async () => {
    const written: string[][] = [];
    const memory = new Set<ArrayBuffer>();
    const buffer = new PredictionBuffer(
      async ([bytes]) => {
        memory.add(bytes.buffer as ArrayBuffer);
        written.push(idsOf(bytes.toString('utf8')));
      },
      {
        maxRows: 100,
        batchSize: 2,
        batchesPerWrite: 1,
        retryDelayMs: 0,
        onDrop: () => undefined,
        onError: () => undefined,
      },
    );
    for (let i = 1; i <= 9; i++) {
      appendText(buffer, `id-${i}${i % 2 ? '-long-enough-to-overwrite' : ''}\tm\n`);
      await buffer.writeFullBatches();
    }
    await buffer.flush();
    expect(written.flat().map((id) => id.replace('-long-enough-to-overwrite', ''))).toEqual([
      'id-1',
      'id-2',
      'id-3',
      'id-4',
      'id-5',
      'id-6',
      'id-7',
      'id-8',
      'id-9',
    ]);
    expect(written.map((ids) => ids.length)).toEqual([2, 2, 2, 2, 1]);
    expect(memory.size).toBe(1);
  });

  it('a batch that waits behind a failed one keeps only the memory its rows need', async () => {
    const sizes: number[] = [];
    let down = true;
    const buffer = new PredictionBuffer(
      async ([bytes]) => {
        sizes.push(bytes.buffer.byteLength);
        if (down) throw new Error('connection refused');
      },
      {
        maxRows: 100,
        batchSize: 1000,
        batchesPerWrite: 1,
        retryDelayMs: 0,
        onDrop: () => undefined,
        onError: () => undefined,
      },
    );
    appendText(buffer, line(1));
    await expect(buffer.flush()).resolves.toBe(false);
    appendText(buffer, line(2));
    await expect(buffer.flush()).resolves.toBe(false);
    down = false;
    await expect(buffer.flush()).resolves.toBe(true);
    // Attempts: batch 1, batch 1 again (the second flush), then batch 1 and batch 2.
    expect(sizes[0]).toBe(BATCH_BYTES);
    expect(sizes.at(-1)).toBeLessThan(BATCH_BYTES);
    expect(buffer.snapshot()).toMatchObject({ buffered: 0, written: 2 });
  });

  it('a write takes the batches waiting, up to batchesPerWrite, oldest first', async () => {
    const writes: number[][][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((r) => (release = r));
    const { buffer, append } = setup(
      async (_text, _retry, batches) => {
        writes.push(batches.map((b) => idsOf(b).map((id) => Number(id.slice(3)))));
        if (writes.length === 1) await firstWrite;
      },
      { maxRows: 100, batchSize: 2, batchesPerWrite: 3 },
    );
    append(1, 2);
    const run = buffer.writeFullBatches();
    // Five more batches and an open one fill while the first write waits for the database.
    append(...Array.from({ length: 11 }, (_, i) => i + 3));
    release();
    await expect(run).resolves.toBe(true);
    await expect(buffer.flush()).resolves.toBe(true);
    expect(writes).toEqual([
      [[1, 2]],
      [
        [3, 4],
        [5, 6],
        [7, 8],
      ],
      [
        [9, 10],
        [11, 12],
      ],
      [[13]],
    ]);
    expect(buffer.snapshot()).toEqual({ buffered: 0, written: 13, dropped: 0, failedFlushes: 0 });
  });

  it('retries a failed write with the batches that queued behind it, in one write marked as a retry', async () => {
    let down = true;
    const writes: { ids: string[]; retry: boolean }[] = [];
    const { buffer, append } = setup(
      async (text, retry) => {
        writes.push({ ids: idsOf(text), retry });
        if (down) throw new Error('connection refused');
      },
      { batchesPerWrite: 4 },
    );
    append(1, 2, 3);
    await expect(buffer.writeFullBatches()).resolves.toBe(false);
    append(4, 5, 6, 7);
    down = false;
    await expect(buffer.flush()).resolves.toBe(true);
    expect(writes).toEqual([
      { ids: ['id-1', 'id-2', 'id-3'], retry: false },
      { ids: ['id-1', 'id-2', 'id-3', 'id-4', 'id-5', 'id-6', 'id-7'], retry: true },
    ]);
    expect(buffer.snapshot()).toEqual({ buffered: 0, written: 7, dropped: 0, failedFlushes: 1 });
  });
});
