import type { LoggedAnswer, Page, PageRequest, PredictionReader } from '../../inference';
import { creditMeta, output } from '../../../test/support/bucket-fixture';
import { BucketAccumulator } from '../buckets/bucket-accumulator';
import { buildPlan } from '../buckets/bucket-plan';
import { LogAggregates } from './log-aggregates';
import type { VersionReferences } from './version-references';

const T0 = Date.UTC(2025, 0, 15);
const window = { model: 'credit', from: new Date(T0), to: new Date(T0 + 60_000) };

/**
 * A reader over `rows` that answers pages of `size` whatever the limit asked, and records the
 * requests, in `events` beside the version lookups, which happen as a page is counted.
 */
function fakeReader(rows: LoggedAnswer[], size: number, events: string[] = []) {
  const requests: PageRequest[] = [];
  const reader = {
    answers: (_w: unknown, page: PageRequest): Promise<Page<LoggedAnswer>> => {
      requests.push(page);
      events.push(`read after ${page.after ?? 'start'}`);
      const start = page.after === undefined ? 0 : Number(page.after);
      const end = Math.min(start + size, rows.length);
      return Promise.resolve({ items: rows.slice(start, end), next: end < rows.length ? String(end) : null });
    },
  } as unknown as PredictionReader;
  return { reader, requests };
}

describe('LogAggregates', () => {
  const { meta, rest } = creditMeta();
  const plan = buildPlan(meta);
  const references = { get: jest.fn(() => Promise.resolve({ plan })) } as unknown as VersionReferences;
  const records = rest.slice(0, 250);
  const outputs = records.map((_, i) => output((i % 37) / 36));
  // Versions interleaved, as canary traffic logs them; the JSON round trip is what the log's jsonb gives back.
  const logged: LoggedAnswer[] = records.map((features, i) => ({
    version: i % 3 === 0 ? 2 : 1,
    features: JSON.parse(JSON.stringify(features)) as Record<string, unknown>,
    output: JSON.parse(JSON.stringify({ label: outputs[i].label, probabilities: outputs[i].probabilities })) as Record<
      string,
      unknown
    >,
  }));

  it('counts every logged record as the serving accumulator counted it, per version, across pages', async () => {
    const acc = new BucketAccumulator();
    records.forEach((r, i) =>
      acc.observe({
        model: 'credit',
        version: logged[i].version,
        alias: null,
        at: T0,
        meta,
        values: [r],
        outputs: [outputs[i]],
      }),
    );
    const expected = acc
      .seal(T0, true)
      .sort((a, b) => a.version - b.version)
      .map((b) => ({ model: 'credit', version: b.version, buckets: 0, aggregate: b.aggregate }));
    const { reader, requests } = fakeReader(logged, 40);

    const summed = await new LogAggregates(reader, references).sum(window);

    expect(summed).toEqual(expected);
    expect(summed.map((s) => s.aggregate.rows)).toEqual([166, 84]);
    // Seven pages, each after the previous one's cursor, at the reader's largest page size.
    expect(requests.map((r) => r.after)).toEqual([undefined, '40', '80', '120', '160', '200', '240']);
    expect(new Set(requests.map((r) => r.limit))).toEqual(new Set([10_000]));
  });

  it('asks for the next page before counting the current one (the query overlaps the counting)', async () => {
    const events: string[] = [];
    const { reader } = fakeReader(logged, 100, events);
    const lookups = {
      get: (_model: string, version: number) => {
        events.push(`count v${version}`);
        return Promise.resolve({ plan });
      },
    } as unknown as VersionReferences;
    await new LogAggregates(reader, lookups).sum(window);
    // The first page's versions are looked up as it is counted: after the second page was asked for.
    expect(events).toEqual(['read after start', 'read after 100', 'count v2', 'count v1', 'read after 200']);
  });

  it('an empty log window gives no version', async () => {
    const { reader } = fakeReader([], 40);
    await expect(new LogAggregates(reader, references).sum(window)).resolves.toEqual([]);
  });
});
