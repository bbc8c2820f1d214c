import { Api, cookieValue } from './api';
import { driftGrid, pickStatistic, type SeriesPage } from './drift-grid';
import { chooseModel, formatState, panelsFor, parseState } from './page-state';
import { RANGES, spanOf, spanQuery } from './time-range';

describe('page state', () => {
  it('reads and writes the fragment, with the default range for a bad one', () => {
    expect(parseState('#model=credit&range=24h')).toEqual({ model: 'credit', range: '24h' });
    expect(parseState('#range=bogus')).toEqual({ model: null, range: '1h' });
    expect(parseState(formatState({ model: 'a b', range: '7d' }))).toEqual({ model: 'a b', range: '7d' });
    expect(chooseModel('x', ['a', 'b'])).toBe('a');
    expect(chooseModel('b', ['a', 'b'])).toBe('b');
    expect(chooseModel(null, [])).toBeNull();
  });

  it('knows which panels an event makes stale', () => {
    expect(panelsFor('reset', {}, 'credit')).toBe('all');
    expect(panelsFor('alert', { model: 'credit' }, 'credit')).toEqual(['alerts']);
    expect(panelsFor('alert', { model: 'other' }, 'credit')).toEqual([]);
    expect(panelsFor('window', { model: 'credit', kind: 'drift' }, 'credit')).toEqual([
      'drift',
      'quality',
      'performance',
    ]);
    expect(panelsFor('alias', { modelName: 'other' }, 'credit')).toEqual(['models']);
    expect(panelsFor('training', { jobId: 'j' }, 'credit')).toEqual(['training']);
    expect(panelsFor('hello', {}, 'credit')).toEqual([]);
  });

  it('makes the span of a range and its query', () => {
    const span = spanOf('15m', Date.parse('2026-01-01T10:15:00Z'));
    expect(spanQuery(span)).toBe('from=2026-01-01T10%3A00%3A00.000Z&to=2026-01-01T10%3A15%3A00.000Z&points=15');
  });

  it('asks every range in slots the server pre-aggregates: whole minutes up to an hour, whole hours beyond', () => {
    for (const { ms, points } of Object.values(RANGES)) {
      const slot = ms / points;
      expect(slot % 60_000).toBe(0);
      if (ms > 3_600_000) expect(slot % 3_600_000).toBe(0);
    }
    expect(Object.values(RANGES).map((r) => r.points)).toEqual([15, 60, 24, 168]);
  });

  it('refetches only the quality panel for realised-quality windows', () => {
    expect(panelsFor('window', { model: 'credit', kind: 'realised' }, 'credit')).toEqual(['performance']);
  });
});

describe('Api', () => {
  it('reads a cookie by name', () => {
    expect(cookieValue('a=1; mlapi_csrf=x%2Ey; b=2', 'mlapi_csrf')).toBe('x.y');
    expect(cookieValue('a=1', 'mlapi_csrf')).toBeNull();
  });

  it('sends the CSRF header on a POST only, and refreshes once on a 401', async () => {
    const calls: { path: string; method: string; csrf?: string }[] = [];
    const answers = [401, 200, 200];
    const api = new Api({
      fetch: (path, init) => {
        calls.push({
          path: path as string,
          method: init!.method!,
          csrf: (init!.headers as Record<string, string>)['x-csrf-token'],
        });
        return Promise.resolve(new Response(JSON.stringify({ ok: true }), { status: answers.shift() ?? 200 }));
      },
      cookies: () => 'mlapi_csrf=tok',
      signedOut: () => {
        throw new Error('not signed out');
      },
    });
    await expect(api.get('/x')).resolves.toEqual({ ok: true });
    expect(calls.map((c) => [c.method, c.path, c.csrf])).toEqual([
      ['GET', '/x', undefined],
      ['POST', '/auth/browser-session/refresh', 'tok'],
      ['GET', '/x', undefined],
    ]);
  });
});

describe('drift grid', () => {
  const point = (
    to: string,
    value: number | null,
    verdict: string | null = null,
    details: Record<string, unknown> | null = null,
  ) => ({
    from: 'f',
    to,
    value,
    verdict,
    threshold: typeof details?.threshold === 'number' ? details.threshold : null,
    details,
  });
  const page: SeriesPage = {
    model: 'credit',
    from: 'a',
    to: 'b',
    points: 10,
    slotSeconds: 60,
    series: [
      {
        version: 2,
        column: 'Age',
        statistic: 'jensen_shannon',
        points: [point('2026-01-01T10:00:00Z', 0.05), point('2026-01-01T11:00:00Z', 0.3)],
      },
      { version: 2, column: '@prediction', statistic: 'jensen_shannon', points: [point('2026-01-01T11:00:00Z', 0.01)] },
      {
        version: 2,
        column: 'Age',
        statistic: 'drift',
        points: [
          point('2026-01-01T11:00:00Z', 0.3, 'drift', {
            test: 'jensen_shannon',
            threshold: 0.1,
            rule: 'distance >= threshold',
          }),
        ],
      },
      {
        version: 2,
        column: 'Job',
        statistic: 'drift',
        points: [
          point('2026-01-01T11:00:00Z', 0.01, 'drift', { test: 'chisquare', threshold: 0.05, rule: 'p < threshold' }),
        ],
      },
      { version: 2, column: 'Job', statistic: 'jensen_shannon', points: [point('2026-01-01T11:00:00Z', 0.02)] },
      { version: 1, column: 'Age', statistic: 'jensen_shannon', points: [point('2026-01-01T10:00:00Z', 0.9)] },
      { version: 2, column: '', statistic: 'jensen_shannon', points: [point('2026-01-01T10:00:00Z', 0.5)] },
    ],
  };

  it('lays out features × windows of the newest version, the output last, with verdicts and thresholds', () => {
    expect(pickStatistic(page)).toBe('jensen_shannon');
    expect(pickStatistic(page, 'psi')).toBe('jensen_shannon');
    const grid = driftGrid(page, 'jensen_shannon');
    expect(grid.version).toBe(2);
    expect(grid.features).toEqual(['Age', 'Job', '@prediction']);
    expect(grid.windows).toEqual(['2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z']);
    expect(grid.cells.get('Age')!.map((c) => c?.value)).toEqual([0.05, 0.3]);
    expect(grid.cells.get('Age')![1]!.verdict).toBe('drift');
    expect(grid.cells.get('@prediction')![0]).toBeNull();
    expect(grid.threshold).toBe(0.1);
    expect(grid.pValue).toEqual({ threshold: 0.05, tests: ['chisquare'] });
  });

  it('has no statistic to show without distance rows', () => {
    expect(pickStatistic({ ...page, series: page.series.filter((s) => s.statistic === 'drift') })).toBeNull();
  });
});
