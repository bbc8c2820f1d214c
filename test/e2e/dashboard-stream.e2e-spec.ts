import Redis from 'ioredis';
import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { EventBus, EventsMissed } from '../../src/events';
import { AlertChanged, DashboardStream, WindowJob, type AlertTransition } from '../../src/monitoring';
import { loginAs } from '../support/auth';
import { Http } from '../support/http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { replicaOf } from '../support/replica';
import { SseClient, type SseEvent } from '../support/sse-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { importCsv, waitForJob } from '../support/training';

/**
 * The dashboard's live stream across two replicas of the real app (one database, one Redis prefix):
 * what happens on replica A reaches a stream opened on replica B, over real Redis pub/sub.
 */
describe('dashboard live stream', () => {
  let t: TestApp;
  let b: Awaited<ReturnType<typeof replicaOf>>;
  let a: Http;
  let scientist: Http;
  let redis: Redis;
  const streams: SseClient[] = [];

  /** A ticket for the file's scientist, or for the holder of `token`. */
  const ticket = async (token?: string) => {
    const res = await (token ? a.as(token) : scientist).post('/dashboard/stream-tickets');
    if (res.status !== 201) throw new Error(`no ticket: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.ticket as string;
  };
  const open = async (query: string) => {
    const opened = await SseClient.open(`${b.http.baseUrl}/dashboard/stream?${query}`);
    if (opened.client) streams.push(opened.client);
    return opened;
  };
  const stream = async (lastEventId?: string) => {
    const q = `ticket=${encodeURIComponent(await ticket())}${lastEventId ? `&lastEventId=${lastEventId}` : ''}`;
    const { status, client, body } = await open(q);
    if (!client) throw new Error(`stream refused: ${status} ${JSON.stringify(body)}`);
    await client.next((e) => e.event === 'hello');
    return client;
  };
  const alert = (alertId: string): AlertTransition => ({
    alertId,
    ruleId: null,
    ruleName: 'e2e',
    kind: 'error_rate',
    severity: 'warning',
    model: 'credit',
    subject: 'credit',
    state: 'firing',
    value: 0.5,
    threshold: 0.1,
    at: new Date().toISOString(),
  });
  const publishOnA = async (id: string) => {
    const payload = alert(id);
    await t.app.get(EventBus).publish(AlertChanged, payload);
    return payload;
  };
  const isAlert = (id: string) => (e: SseEvent) => e.event === 'alert' && e.data?.alertId === id;

  beforeAll(async () => {
    t = await startTestApp({ DASHBOARD_TRAFFIC_TICK_MS: '200', DASHBOARD_STREAM_HEARTBEAT_MS: '300' });
    b = await replicaOf(t, { DASHBOARD_TRAFFIC_TICK_MS: 200, DASHBOARD_STREAM_HEARTBEAT_MS: 300 });
    a = new Http(t.baseUrl);
    scientist = a.as((await loginAs(t, 'scientist')).accessToken);
    redis = new Redis(t.config.env.REDIS_URL);
    await registerBundle(t.app, 'credit', await trainCreditBundle(creditData(200), 1, 1, 'logistic'));
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    redis?.disconnect();
    await b?.close();
    await t?.close();
  });

  it('starts with hello naming the replica, as text/event-stream, and beats every interval', async () => {
    const opened = await open(`ticket=${await ticket()}`);
    expect(opened.status).toBe(200);
    expect(opened.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(opened.headers['cache-control']).toMatch(/no-store/);
    const client = opened.client!;
    const { event, index } = await client.next(() => true);
    expect(index).toBe(0);
    expect(event).toMatchObject({ event: 'hello', data: { replica: b.app.get(DashboardStream).replica } });
    expect(event.id).toMatch(/^[0-9a-f]{12}\.\d+$/);
    expect(Date.parse(event.data.serverTime)).not.toBeNaN();
    await client.next((e) => e.event === 'comment' && e.data === 'heartbeat');
  });

  it('carries an alert, an alias move, a training job and written windows from replica A to a stream on B', async () => {
    const client = await stream();
    const sent = await publishOnA('alert-1');
    expect((await client.next(isAlert('alert-1'))).event.data).toEqual(sent);

    await moveAlias(t.app, 'credit', 'production', 1);
    const moved = await client.next((e) => e.event === 'alias');
    expect(moved.event.data).toMatchObject({ modelName: 'credit', alias: 'production', toVersion: 1 });

    // The window job (worker role of A) announces each version it wrote.
    await t.app.get(WindowJob).run();
    const written = await client.next((e) => e.event === 'window');
    expect(written.event.data).toMatchObject({ model: 'credit', version: 1, kind: 'drift' });
    expect(Date.parse(written.event.data.windowEnd)).toBeGreaterThan(Date.parse(written.event.data.windowStart));

    // A real training job on A's worker: its progress and its end.
    await importCsv(t, 'credit-data', 'data/credit_data.csv', 'Status');
    const job = await scientist.post('/training-jobs', {
      dataset: 'credit-data',
      task: 'binary',
      positiveClass: 'bad',
      hyperparameters: { epochs: 2 },
    });
    expect(job.status).toBe(202);
    const running = await client.next((e) => e.event === 'training' && e.data.jobId === job.body.id);
    expect(running.event.data).toMatchObject({ state: 'running' });
    const ended = await client.next(
      (e) => e.event === 'training' && e.data.jobId === job.body.id && e.data.state !== 'running',
    );
    expect(ended.event.data).toMatchObject({ state: 'succeeded', epoch: expect.any(Number), maxEpochs: 2 });
    expect((await waitForJob(scientist, job.body.id)).state).toBe('succeeded');
  });

  it("carries replica A's predict traffic, counted from its own metrics, to a stream on B", async () => {
    await moveAlias(t.app, 'credit', 'production', 1);
    const client = await stream();
    const consumer = a.as((await loginAs(t, 'consumer')).accessToken);
    const features = featuresOf(creditData(1).records[0]);
    for (let i = 0; i < 3; i++) expect((await consumer.post('/models/credit/predict', { features })).status).toBe(200);
    expect((await consumer.post('/models/credit/predict', { features: { nope: 1 } })).status).toBe(422);
    const aReplica = t.app.get(DashboardStream).replica;
    let requests = 0;
    let errors = 0;
    let from = 0;
    // The four requests may fall into two ticks of A.
    while (requests < 4) {
      const { event, index } = await client.next((e) => e.event === 'traffic' && e.data.replica === aReplica, from);
      from = index + 1;
      expect(event.data.intervalMs).toBeGreaterThan(0);
      const row = event.data.models.find((m: any) => m.model === 'credit');
      expect(row).toMatchObject({ version: 1, alias: 'production' });
      requests += row.requests;
      errors += row.errors;
      if (row.requests > row.errors) expect(row.latencyMs.p99).toBeGreaterThan(0);
    }
    expect({ requests, errors }).toEqual({ requests: 4, errors: 1 });
  });

  it('replays what a stream missed after lastEventId, and resets an id it cannot replay', async () => {
    const first = await stream();
    await publishOnA('replay-1');
    const seen = (await first.next(isAlert('replay-1'))).event;
    first.close();
    // B has them once its subscription delivered them: a stream open meanwhile shows when.
    const witness = await stream();
    await publishOnA('replay-2');
    await publishOnA('replay-3');
    await witness.next(isAlert('replay-3'));

    const again = await stream(seen.id);
    const two = await again.next(isAlert('replay-2'));
    const three = await again.next(isAlert('replay-3'), two.index + 1);
    expect(again.events[0].event).toBe('hello');
    const replayed = again.events.slice(1, three.index + 1).filter((e) => e.event === 'alert');
    expect(replayed.map((e) => e.data.alertId)).toEqual(['replay-2', 'replay-3']);
    expect(again.events.some(isAlert('replay-1'))).toBe(false);

    // Another replica's id, an id from the future and garbage: reset, right after hello.
    const otherBoot = t.app.get(DashboardStream).ring.lastId;
    const [boot] = seen.id!.split('.');
    for (const id of [otherBoot, `${boot}.999999`, 'garbage']) {
      const s = await stream(id);
      const reset = await s.next((e) => e.event === 'reset');
      expect(reset.index).toBe(1);
      expect(reset.event.data).toEqual({});
      s.close();
    }
  });

  it('resets every open stream when the replica missed events (EventsMissed), and a replay through it', async () => {
    const client = await stream();
    await publishOnA('before-miss');
    const before = (await client.next(isAlert('before-miss'))).event;
    await b.app.get(EventBus).publish(EventsMissed, {});
    const reset = await client.next((e) => e.event === 'reset');
    expect(reset.event.data).toEqual({});
    const later = await stream(before.id);
    await later.next((e) => e.event === 'reset');
  });

  it('refuses a missing, unknown, used or expired ticket with 401 monitoring.stream_ticket_invalid', async () => {
    const refused = async (query: string) => {
      const res = await open(query);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('monitoring.stream_ticket_invalid');
    };
    await refused('');
    await refused('ticket=not-a-ticket');
    const used = await ticket();
    const ok = await open(`ticket=${used}`);
    expect(ok.status).toBe(200);
    await refused(`ticket=${used}`);

    const expiring = await ticket();
    const keys = await redis.keys(`${t.config.env.REDIS_PREFIX}:dashboard:stream-ticket:*`);
    expect(keys.length).toBeGreaterThan(0);
    // Only a hash is kept: no key or value holds the ticket itself.
    for (const key of keys) {
      expect(key).not.toContain(expiring);
      expect(await redis.get(key)).not.toContain(expiring);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(30_000);
    }
    // Let Redis expire them now rather than in 30 s.
    for (const key of keys) await redis.pexpire(key, 1);
    while ((await redis.exists(...keys)) > 0) await new Promise((r) => setTimeout(r, 10));
    await refused(`ticket=${expiring}`);
  });

  it('gives tickets to admins and scientists only: not to a consumer, an API token or nobody', async () => {
    const admin = await loginAs(t, 'admin');
    expect((await a.as(admin.accessToken).post('/dashboard/stream-tickets')).status).toBe(201);
    const consumer = await a.as((await loginAs(t, 'consumer')).accessToken).post('/dashboard/stream-tickets');
    expect(consumer.status).toBe(403);
    expect(consumer.body.code).toBe('auth.access_denied');
    const { token } = await t.app
      .get(ApiTokensService)
      .create({ name: 'dash', scopes: ['metrics:read', 'predict', 'train', 'data:write', 'feedback'] }, admin.user.id);
    const byToken = await a.as(token).post('/dashboard/stream-tickets');
    expect(byToken.status).toBe(403);
    expect(byToken.body.code).toBe('auth.access_denied');
    expect((await a.post('/dashboard/stream-tickets')).status).toBe(401);
  });

  it("binds the ticket to the session: a revoked session's ticket opens nothing, and its open stream ends", async () => {
    const { accessToken } = await loginAs(t, 'scientist');
    const person = a.as(accessToken);
    const open1 = await open(`ticket=${await ticket(accessToken)}`);
    const kept = await ticket(accessToken);
    expect(open1.status).toBe(200);
    expect((await person.post('/auth/logout')).status).toBe(204);
    await open1.client!.closedByServer();
    const res = await open(`ticket=${kept}`);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('monitoring.stream_ticket_invalid');
  });

  it('ends its open streams when a replica shuts down, so closing it does not wait for them', async () => {
    const c = await replicaOf(t);
    let closed = false;
    try {
      const res = await fetch(`${c.http.baseUrl}/dashboard/stream-tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${(await loginAs(t, 'scientist')).accessToken}` },
      });
      const { ticket: own } = (await res.json()) as { ticket: string };
      const opened = await SseClient.open(`${c.http.baseUrl}/dashboard/stream?ticket=${own}`);
      expect(opened.status).toBe(200);
      await opened.client!.next((e) => e.event === 'hello');
      await c.close();
      closed = true;
      await opened.client!.closedByServer();
    } finally {
      if (!closed) await c.close();
    }
  });

  it("releases a closed client's subscription on the replica", async () => {
    const hub = b.app.get(DashboardStream);
    const before = hub.openStreams;
    const client = await stream();
    expect(hub.openStreams).toBe(before + 1);
    client.close();
    while (hub.openStreams > before) await new Promise((r) => setTimeout(r, 10));
    expect(hub.openStreams).toBe(before);
    // The replica goes on serving the others.
    const other = await stream();
    await publishOnA('after-close');
    await other.next(isAlert('after-close'));
  });
});
