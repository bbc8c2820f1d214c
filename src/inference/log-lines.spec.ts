import { unescapeCopyText } from '../database/copy-text';
import { LOG_COLUMNS, LogLines, type AnsweredRequest } from './log-lines';

/** Each line's fields by column name, decoded (`\N` as null). */
function decode(line: string): Record<string, string | null> {
  expect(line.endsWith('\n')).toBe(true);
  const fields = line.slice(0, -1).split('\t');
  const names = LOG_COLUMNS.split(', ');
  expect(fields).toHaveLength(names.length);
  return Object.fromEntries(names.map((n, i) => [n, fields[i] === '\\N' ? null : unescapeCopyText(fields[i])]));
}

function encodeAll(requests: AnsweredRequest[]): Record<string, string | null>[] {
  const lines = new LogLines();
  const out: string[] = [];
  for (const r of requests) lines.encode(r, (line) => out.push(line));
  return out.map(decode);
}

const request = (over: Partial<AnsweredRequest> = {}): AnsweredRequest => ({
  createdAt: Date.UTC(2026, 10, 27, 3, 4, 5, 67),
  model: 'credit',
  version: 1,
  alias: 'production',
  caller: 'user:0190a0b0-1111-7222-8333-444455556666',
  latencyMs: 0.25,
  records: [{ id: '0190a0b0-0000-7000-8000-000000000001', features: { Age: 58, Home: 'rent' }, output: { label: 'good', probabilities: { bad: 0.25, good: 0.75 } } }],
  ...over,
});

describe('LogLines', () => {
  it("encodes one line per record, every column decoding to the request's values", () => {
    const records = [
      { id: '0190a0b0-0000-7000-8000-00000000000a', features: { Age: 30, Home: 'a\tb\\c\nd' }, output: { value: 1.5 } },
      { id: '0190a0b0-0000-7000-8000-00000000000b', features: { Age: null }, output: { value: -2 } },
    ];
    const rows = encodeAll([request({ records, alias: null })]);
    expect(rows).toEqual(
      records.map((r) => ({
        id: r.id,
        created_at: '2026-11-27T03:04:05.067Z',
        model: 'credit',
        version: '1',
        alias: null,
        caller: 'user:0190a0b0-1111-7222-8333-444455556666',
        features: JSON.stringify(r.features),
        output: JSON.stringify(r.output),
        latency_ms: '0.25',
      })),
    );
  });

  // The fields of the last request are kept: a request that differs in any one of them must not get the last one's.
  it.each([
    ['model', 'model', { model: 'churn' }],
    ['version', 'version', { version: 2 }],
    ['alias', 'alias', { alias: 'canary' }],
    ['alias (none)', 'alias', { alias: null }],
    ['caller', 'caller', { caller: 'token:0190a0b0-9999-7222-8333-444455556666' }],
  ] as const)('gives each request its own %s when consecutive requests differ in it', (_label, column, change) => {
    const [first, second, third] = encodeAll([request(), request(change), request()]);
    const value = Object.values(change)[0];
    expect(second[column]).toBe(value === null ? null : String(value));
    expect(first[column]).not.toBe(second[column]);
    expect(third).toEqual(first);
  });

  it('stamps each request with its own time while the other shared fields stay', () => {
    const [a, b] = encodeAll([request(), request({ createdAt: Date.UTC(2026, 10, 27, 3, 4, 6, 5), latencyMs: 3 })]);
    expect([a.created_at, b.created_at]).toEqual(['2026-11-27T03:04:05.067Z', '2026-11-27T03:04:06.005Z']);
    expect([a.latency_ms, b.latency_ms]).toEqual(['0.25', '3']);
  });

  it('escapes the shared fields for COPY', () => {
    const [row] = encodeAll([request({ caller: 'token:a\tb\\c' })]);
    expect(row.caller).toBe('token:a\tb\\c');
  });
});
