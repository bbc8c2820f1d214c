import { Client } from 'pg';
import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { loginAs } from '../support/auth';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { PrivatePostgres, PrivateRedis } from '../support/private-services';
import { startTestApp, type TestApp } from '../support/test-app';

/**
 * Issue #18's "done when", on private PostgreSQL and Redis that the test kills: under a steady
 * prediction load on two api replicas, a PostgreSQL outage and then a Redis outage. Every
 * prediction must be answered 2xx, every answered one logged exactly once after recovery, and
 * readiness must stay 200 on both replicas. Durations and load: OUTAGE_PG_S (120), OUTAGE_REDIS_S
 * (60), OUTAGE_RPS (200). The figures are printed for the note.
 */
const PG_OUTAGE_MS = Number(process.env.OUTAGE_PG_S ?? 120) * 1000;
const REDIS_OUTAGE_MS = Number(process.env.OUTAGE_REDIS_S ?? 60) * 1000;
const RPS = Number(process.env.OUTAGE_RPS ?? 200);
const MODEL = 'credit';
const TICK_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A steady load of single-record predictions, alternating between the replicas; counts every answer. */
class Load {
  readonly statuses = new Map<string, number>();
  readonly answered = new Set<string>();
  /** The version each replica answered last. */
  readonly lastVersion: number[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight = new Set<Promise<void>>();
  private sent = 0;

  constructor(
    private readonly urls: string[],
    private readonly token: string,
    private readonly body: string,
  ) {}

  start(): void {
    const perTick = (RPS * TICK_MS) / 1000;
    let owed = 0;
    this.timer = setInterval(() => {
      owed += perTick;
      for (; owed >= 1; owed--) this.track(this.one(this.sent++ % this.urls.length));
    }, TICK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.inFlight]);
  }

  count(status: string): number {
    return this.statuses.get(status) ?? 0;
  }

  summary(): string {
    return [...this.statuses].map(([s, n]) => `${s}: ${n}`).join(', ');
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async one(replica: number): Promise<void> {
    let status: string;
    try {
      const res = await fetch(`${this.urls[replica]}/models/${MODEL}/predict`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: this.body,
        signal: AbortSignal.timeout(10_000),
      });
      status = String(res.status);
      const body = (await res.json()) as { predictions?: { predictionId: string; version: number }[] };
      if (res.status === 200)
        for (const p of body.predictions ?? []) {
          this.answered.add(p.predictionId);
          this.lastVersion[replica] = p.version;
        }
    } catch (err) {
      status = `failed (${(err as Error).name})`;
    }
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }
}

/** Polls both replicas' readiness every 500 ms; every answer that is not 200 is kept. */
class ReadinessWatch {
  readonly notReady: string[] = [];
  probes = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly urls: string[]) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const url of this.urls) {
        const started = Date.now();
        fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
          (res) => {
            this.probes++;
            if (res.status !== 200) this.notReady.push(`${url}: ${res.status}`);
            else if (Date.now() - started > 1_000) this.notReady.push(`${url}: slow (${Date.now() - started} ms)`);
          },
          (err: Error) => this.notReady.push(`${url}: ${err.name}`),
        );
      }
    }, 500);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

describe('outages: serving through PostgreSQL and Redis outages under load', () => {
  let pg: PrivatePostgres;
  let redis: PrivateRedis;
  let a: TestApp;
  let b: TestApp;
  let load: Load;
  let watch: ReadinessWatch;
  const logged = async () => {
    const c = new Client(pg.clientConfig('mlapi'));
    await c.connect();
    try {
      const { rows } = await c.query(
        'SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct_ids FROM inference.predictions',
      );
      return rows[0] as { n: number; distinct_ids: number };
    } finally {
      await c.end();
    }
  };
  let scrapeToken: string;
  /** A value from /metrics, scraped as Prometheus does (a metrics:read token). */
  const metric = async (t: TestApp, pattern: RegExp) => {
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${scrapeToken}` } });
    return pattern.exec(await res.text())?.[1];
  };

  /**
   * A counter summed over both replicas. In one test process passport's strategies are global, so
   * every replica authenticates through the last one started: its token cache counts for both.
   */
  const summed = async (pattern: RegExp) =>
    (await Promise.all([a, b].map((t) => metric(t, pattern)))).reduce((n, v) => n + Number(v ?? 0), 0);

  beforeAll(async () => {
    [pg, redis] = await Promise.all([PrivatePostgres.startMigrated(), PrivateRedis.start()]);
    const env = {
      ...pg.env('mlapi'),
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'outage',
      APP_ROLE: 'api',
      DEPENDENCY_CHECK_MS: '250',
      API_TOKEN_CACHE_MS: '5000',
      INFERENCE_LOG_FLUSH_MS: '200',
    };
    // a refreshes its alias every 2 s (the stale path during the PostgreSQL outage); b trusts it for
    // 10 minutes, so that only the replayed alias event can move b during the Redis outage.
    a = await startTestApp({ ...env, INFERENCE_ALIAS_TTL_MS: '2000' });
    b = await startTestApp({ ...env, INFERENCE_ALIAS_TTL_MS: '600000' });
    const data = creditData(600);
    expect(await registerBundle(a.app, MODEL, await trainCreditBundle(data, 1))).toBe(1);
    expect(await registerBundle(a.app, MODEL, await trainCreditBundle(data, 2))).toBe(2);
    await moveAlias(a.app, MODEL, 'production', 1);
    const creator = (await loginAs(a, 'admin')).user.id;
    const tokens = a.app.get(ApiTokensService);
    const { token } = await tokens.create({ name: 'load', scopes: ['predict'] }, creator);
    scrapeToken = (await tokens.create({ name: 'prometheus', scopes: ['metrics:read'] }, creator)).token;
    expect(await metric(a, /mlapi_dependency_up\{dependency="PostgreSQL"\} (\d)/)).toBe('1');
    load = new Load([a.baseUrl, b.baseUrl], token, JSON.stringify({ features: featuresOf(data.records[0]) }));
    watch = new ReadinessWatch([a.baseUrl, b.baseUrl]);
  }, 180_000);

  afterAll(async () => {
    watch?.stop();
    await load?.stop();
    await Promise.allSettled([a?.close(), b?.close()]);
    await Promise.allSettled([pg?.destroy(), redis?.down()]);
  });

  it(
    'answers every prediction 2xx, logs each once, keeps both replicas ready, and catches up with a missed alias move',
    async () => {
      load.start();
      watch.start();
      await sleep(5_000);
      expect(load.lastVersion).toEqual([1, 1]);

      // PostgreSQL down: tokens (cached 5 s) and aliases (2 s on a) outlive their freshness.
      await pg.down();
      await sleep(PG_OUTAGE_MS / 2);
      const health = await (await fetch(`${a.baseUrl}/health`)).json();
      expect(health).toMatchObject({ status: 'ok', degraded: { database: { status: 'down' } } });
      expect(await metric(a, /mlapi_dependency_up\{dependency="PostgreSQL"\} (\d)/)).toBe('0');
      await sleep(PG_OUTAGE_MS / 2);
      const staleAliases = await summed(/mlapi_stale_answers_total\{cache="alias"\} (\d+)/);
      const staleTokens = await summed(/mlapi_stale_answers_total\{cache="api-token"\} (\d+)/);
      await pg.up();
      const afterPg = load.answered.size;
      for (let i = 0; i < 180 && (await logged().catch(() => ({ n: -1 }))).n < afterPg; i++) await sleep(500);
      process.stdout.write(
        `PostgreSQL outage of ${PG_OUTAGE_MS / 1000} s at ${RPS}/s: answers ${load.summary()}; ` +
          `answers from memory: alias ${staleAliases}, api-token ${staleTokens}\n`,
      );
      expect(staleAliases).toBeGreaterThan(0);
      expect(staleTokens).toBeGreaterThan(0);

      // Redis down: a moves the alias (it applies it at once); b cannot hear of it until Redis is back.
      await redis.down();
      await sleep(REDIS_OUTAGE_MS / 2);
      await moveAlias(a.app, MODEL, 'production', 2);
      await sleep(1_000);
      expect(load.lastVersion[0]).toBe(2);
      await sleep(REDIS_OUTAGE_MS / 2);
      expect(load.lastVersion[1]).toBe(1);
      await redis.up();
      const back = Date.now();
      while (load.lastVersion[1] !== 2 && Date.now() - back < 15_000) await sleep(100);
      const caughtUpMs = Date.now() - back;
      await sleep(3_000);
      watch.stop();
      await load.stop();
      for (let i = 0; i < 120 && (await logged()).n < load.answered.size; i++) await sleep(500);
      const rows = await logged();
      process.stdout.write(
        `after a ${REDIS_OUTAGE_MS / 1000} s Redis outage: answers ${load.summary()}; ` +
          `answered ${load.answered.size}, logged ${rows.n} (${rows.distinct_ids} distinct); ` +
          `b served the moved alias ${caughtUpMs} ms after Redis returned; ` +
          `readiness probes ${watch.probes}, not ready ${watch.notReady.length}\n`,
      );
      expect(caughtUpMs).toBeLessThan(10_000);
      expect([...load.statuses.keys()]).toEqual(['200']);
      expect(rows).toEqual({ n: load.answered.size, distinct_ids: load.answered.size });
      expect(watch.notReady.slice(0, 10)).toEqual([]);
    },
    PG_OUTAGE_MS + REDIS_OUTAGE_MS + 300_000,
  );
});
