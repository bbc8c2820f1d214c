import { LOG_COLUMNS, appendLogRows, type AnsweredRequest } from './log-rows';
import type { RowWriter } from './prediction-buffer';

type Row = Record<string, string | number | null>;

/**
 * Reads appendLogRows' tuples back by the log's column types (the format as PostgreSQL documents it;
 * the e2e tests COPY them into the real table).
 */
function decodeTuples(bytes: Buffer): Row[] {
  const names = LOG_COLUMNS.split(', ');
  const rows: Row[] = [];
  let o = 0;
  while (o < bytes.length) {
    expect(bytes.readInt16BE(o)).toBe(names.length);
    o += 2;
    const row: Row = {};
    for (const name of names) {
      const length = bytes.readInt32BE(o);
      o += 4;
      if (length === -1) {
        row[name] = null;
        continue;
      }
      const field = bytes.subarray(o, o + length);
      o += length;
      row[name] = decodeField(name, field);
    }
    rows.push(row);
  }
  return rows;
}

function decodeField(name: string, field: Buffer): string | number {
  switch (name) {
    case 'id':
    case 'shadow_of': {
      const hex = field.toString('hex');
      expect(hex).toHaveLength(32);
      return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
    }
    case 'created_at':
      // Microseconds since 2000-01-01T00:00:00Z.
      return new Date(Date.UTC(2000, 0, 1) + Number(field.readBigInt64BE()) / 1000).toISOString();
    case 'version':
      expect(field).toHaveLength(4);
      return field.readInt32BE();
    case 'latency_ms':
      expect(field).toHaveLength(4);
      return field.readFloatBE();
    default:
      return field.toString('utf8');
  }
}

/** A sink that keeps every row's bytes, checking each stays within the room it asked for. */
function encodeAll(requests: AnsweredRequest[]): Row[] {
  const out: Buffer[] = [];
  const sink = {
    append(room: number, write: RowWriter): boolean {
      // Written after some bytes already there, as into a batch.
      const bytes = Buffer.alloc(7 + room + 16, 0xee);
      const end = write(bytes, 7);
      expect(end - 7).toBeLessThanOrEqual(room);
      expect(bytes.subarray(end).every((b) => b === 0xee)).toBe(true);
      out.push(bytes.subarray(7, end));
      return true;
    },
  };
  for (const r of requests) appendLogRows(r, sink);
  return decodeTuples(Buffer.concat(out));
}

const request = (over: Partial<AnsweredRequest> = {}): AnsweredRequest => ({
  createdAt: Date.UTC(2026, 10, 27, 3, 4, 5, 67),
  model: 'credit',
  version: 1,
  alias: 'production',
  caller: 'user:0190a0b0-1111-7222-8333-444455556666',
  latencyMs: 0.25,
  records: [
    {
      id: '0190a0b0-0000-7000-8000-000000000001',
      features: { Age: 58, Home: 'rent' },
      output: { label: 'good', probabilities: { bad: 0.25, good: 0.75 } },
    },
  ],
  ...over,
});

describe('appendLogRows', () => {
  it("encodes one tuple per record, every column decoding to the request's values", () => {
    const records = [
      {
        id: '0190a0b0-0000-7000-8000-00000000000a',
        features: { Age: 30, Home: 'a\tb\\c\nd "q" üñí 😀' },
        output: { value: 1.5 },
      },
      { id: '0190A0B0-FFFF-7000-8000-ABCDEF00000B', features: { Age: null }, output: { value: -2 } },
    ];
    const rows = encodeAll([request({ records, alias: null, latencyMs: 12.5 })]);
    expect(rows).toEqual(
      records.map((r) => ({
        id: r.id.toLowerCase(),
        created_at: '2026-11-27T03:04:05.067Z',
        model: 'credit',
        version: 1,
        alias: null,
        caller: 'user:0190a0b0-1111-7222-8333-444455556666',
        features: JSON.stringify(r.features),
        output: JSON.stringify(r.output),
        latency_ms: 12.5,
        shadow_of: null,
      })),
    );
  });

  it("carries a shadow record's link to the prediction it shadows, and null on every other record", () => {
    const shadowOf = '0190a0b0-0000-7000-8000-0000000000ff';
    const records = [
      { id: '0190a0b0-0000-7000-8000-00000000000c', features: {}, output: {}, shadowOf },
      { id: '0190a0b0-0000-7000-8000-00000000000d', features: {}, output: {} },
    ];
    const rows = encodeAll([request({ alias: 'shadow', records })]);
    expect(rows.map((r) => r.shadow_of)).toEqual([shadowOf, null]);
    expect(() => encodeAll([request({ records: [{ ...records[0], shadowOf: 'not-a-uuid' }] })])).toThrow(
      'not a uuid: not-a-uuid',
    );
  });

  // Each row holds its own request's fields, whatever the request before it held.
  it.each([
    ['model', 'model', { model: 'churn' }],
    ['version', 'version', { version: 2 }],
    ['alias', 'alias', { alias: 'canary' }],
    ['alias (none)', 'alias', { alias: null }],
    ['caller', 'caller', { caller: 'token:0190a0b0-9999-7222-8333-444455556666' }],
  ] as const)('gives each request its own %s when consecutive requests differ in it', (_label, column, change) => {
    const [first, second, third] = encodeAll([request(), request(change), request()]);
    expect(second[column]).toBe(Object.values(change)[0]);
    expect(first[column]).not.toBe(second[column]);
    expect(third).toEqual(first);
  });

  it('stamps each request with its own time and latency', () => {
    const [a, b, c] = encodeAll([
      request(),
      request({ createdAt: Date.UTC(2026, 10, 27, 3, 4, 6, 5), latencyMs: 3 }),
      request({ createdAt: Date.UTC(1999, 11, 31, 23, 59, 59, 999) }),
    ]);
    expect([a.created_at, b.created_at, c.created_at]).toEqual([
      '2026-11-27T03:04:05.067Z',
      '2026-11-27T03:04:06.005Z',
      '1999-12-31T23:59:59.999Z',
    ]);
    expect([a.latency_ms, b.latency_ms]).toEqual([0.25, 3]);
  });

  it('takes any text in the model, alias and caller as UTF-8', () => {
    const [row] = encodeAll([request({ model: 'crédit', alias: 'prod\tuction', caller: 'token:a\\b 😀' })]);
    expect(row).toMatchObject({ model: 'crédit', alias: 'prod\tuction', caller: 'token:a\\b 😀' });
  });

  it('refuses an id that is not a uuid rather than write a wrong one', () => {
    for (const id of [
      '0190a0b0-0000-7000-8000-00000000000',
      '0190a0b0-0000-7000-8000-00000000000g',
      '0190a0b0_0000-7000-8000-000000000001',
    ]) {
      expect(() => encodeAll([request({ records: [{ id, features: {}, output: {} }] })])).toThrow(`not a uuid: ${id}`);
    }
  });
});
