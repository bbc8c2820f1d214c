import { createHmac } from 'node:crypto';
import { UsersService } from '../../src/auth/services/users.service';
import { TEST_PASSWORD, loginAs } from '../support/auth';
import { Http } from '../support/http';
import { replicaOf } from '../support/replica';
import { TEST_JWT_SECRET, startTestApp, type TestApp } from '../support/test-app';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function forge(payload: object): string {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', TEST_JWT_SECRET).update(body).digest('base64url')}`;
}
const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/** Issue #17's authentication findings, each on the real app (items 4, 5, 9, 10, 12 in part, 13). */
describe('auth hardening (issue #17)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: 'https://dashboard.example.com' });
    http = new Http(t.baseUrl);
  });
  afterAll(() => t.close());

  describe('bearer tokens come from the Authorization header only (item 9)', () => {
    it('refuses a valid token in the query string or the body', async () => {
      const { accessToken } = await loginAs(t, 'consumer');
      const query = await http.get(`/auth/me?access_token=${accessToken}`);
      expect(query.status).toBe(401);
      expect(query.body.code).toBe('auth.not_authenticated');
      const body = await http.post('/auth/logout', { access_token: accessToken });
      expect(body.status).toBe(401);
      expect(body.body.code).toBe('auth.not_authenticated');
      // The control: the same token in the header is accepted (and was not spent by the refusals).
      expect((await http.as(accessToken).get('/auth/me')).status).toBe(200);
    });

    it('answers 401, not 500, for a non-string token in the body or a repeated query key', async () => {
      for (const res of [
        await http.post('/auth/logout', { access_token: 123 }),
        await http.post('/auth/logout', { access_token: ['a', 'b'] }),
        await http.get('/auth/me?access_token=a&access_token=b'),
        await http.get('/auth/me', { authorization: 'Bearer' }),
        await http.get('/auth/me', { authorization: 'Basic dXNlcjpwYXNz' }),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ statusCode: 401, code: 'auth.not_authenticated' });
      }
    });
  });

  describe('access JWTs (item 12)', () => {
    it('refuses a correctly signed JWT without exp', async () => {
      const { accessToken } = await loginAs(t, 'consumer');
      const { exp: _exp, ...claims } = decode(accessToken);
      const res = await http.as(forge(claims)).get('/auth/me');
      expect(res.status).toBe(401);
      // The control: the same claims with an exp pass.
      expect((await http.as(forge({ ...claims, exp: _exp })).get('/auth/me')).status).toBe(200);
    });
  });

  describe('token responses are not cached (item 12)', () => {
    it('sends Cache-Control: no-store and Pragma: no-cache on login, refresh and API token creation', async () => {
      const admin = await loginAs(t, 'admin');
      const login = await http.post('/auth/login', { email: admin.email, password: TEST_PASSWORD });
      const refresh = await http.post('/auth/refresh', { refreshToken: login.body.refreshToken });
      const created = await http.as(admin.accessToken).post('/api-tokens', { name: 'cache', scopes: ['predict'] });
      for (const res of [login, refresh, created]) {
        expect(res.status).toBeLessThan(300);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('pragma')).toBe('no-cache');
      }
    });
  });

  describe('CORS (item 12)', () => {
    it('allows every method and header the API uses in a preflight', async () => {
      const res = await fetch(`${t.baseUrl}/users/00000000-0000-4000-8000-000000000000`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://dashboard.example.com',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization,content-type,x-request-id',
        },
      });
      expect(res.status).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://dashboard.example.com');
      const methods = (res.headers.get('access-control-allow-methods') ?? '').split(',').map((m) => m.trim());
      expect(methods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']));
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      for (const h of ['authorization', 'content-type', 'x-request-id']) expect(allowed).toContain(h);
    });
  });

  describe('proxies are trusted only as configured (item 4)', () => {
    it('by default ignores X-Forwarded-For for the session IP', async () => {
      const user = await loginAs(t, 'consumer');
      const forged = await http.post(
        '/auth/login',
        { email: user.email, password: TEST_PASSWORD },
        { 'x-forwarded-for': '203.0.113.9' },
      );
      expect(forged.status).toBe(200);
      const sessions = await http.as(forged.body.accessToken).get('/auth/sessions');
      const current = sessions.body.find((s: { current: boolean }) => s.current);
      expect(current.ip).toBe('127.0.0.1');
    });

    it('trusts X-Forwarded-For only from the hops or addresses TRUST_PROXY names', async () => {
      const cases = [
        { trust: '1', ip: '203.0.113.7' }, // one proxy (Azure Container Apps' ingress): the entry it appended
        { trust: '127.0.0.1', ip: '203.0.113.7' },
        { trust: '10.0.0.0/8', ip: '127.0.0.1' }, // the peer is not a trusted proxy: its header is ignored
      ];
      for (const { trust, ip } of cases) {
        const replica = await replicaOf(t, { TRUST_PROXY: trust });
        try {
          const user = await loginAs(t, 'consumer');
          const res = await replica.http.post(
            '/auth/login',
            { email: user.email, password: TEST_PASSWORD },
            { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
          );
          expect(res.status).toBe(200);
          const sessions = await replica.http.as(res.body.accessToken).get('/auth/sessions');
          const current = sessions.body.find((s: { current: boolean }) => s.current);
          expect({ trust, ip: current.ip }).toEqual({ trust, ip });
        } finally {
          await replica.close();
        }
      }
    });
  });

  describe('Swagger UI is a setting (item 13)', () => {
    it('is served outside production by default', async () => {
      expect((await http.get('/docs-json')).status).toBe(200);
    });

    it('is off in production unless SWAGGER_UI enables it, and off wherever SWAGGER_UI=false', async () => {
      const cases = [
        { env: { NODE_ENV: 'production' as const }, status: 404 },
        { env: { NODE_ENV: 'production' as const, SWAGGER_UI: true }, status: 200 },
        { env: { SWAGGER_UI: false }, status: 404 },
      ];
      for (const { env, status } of cases) {
        const replica = await replicaOf(t, env);
        try {
          const json = await replica.http.get('/docs-json');
          expect({ env, status: json.status }).toEqual({ env, status });
          expect((await replica.http.get('/docs')).status).toBe(status);
          if (status === 404) expect(json.body).toMatchObject({ statusCode: 404, requestId: expect.any(String) });
        } finally {
          await replica.close();
        }
      }
    });
  });

  describe('API tokens of a disabled creator stop on every replica (item 5)', () => {
    it('answers 401 naming why on both replicas, and works again once the creator is re-enabled', async () => {
      const replica = await replicaOf(t);
      try {
        const creator = await loginAs(t, 'admin');
        const other = await loginAs(t, 'admin');
        const created = await http
          .as(creator.accessToken)
          .post('/api-tokens', { name: 'prometheus', scopes: ['metrics:read'] });
        expect(created.status).toBe(201);
        const token: string = created.body.token;
        // Both replicas have checked (and cached) the token before the creator is disabled.
        expect((await http.as(token).get('/metrics')).status).toBe(200);
        expect((await replica.http.as(token).get('/metrics')).status).toBe(200);

        const disabled = await http.as(other.accessToken).patch(`/users/${creator.user.id}`, { disabled: true });
        expect(disabled.status).toBe(200);
        for (const h of [http, replica.http]) {
          // The other replica hears of it over Redis: allow it a moment.
          const deadline = Date.now() + 2000;
          let res = await h.as(token).get('/metrics');
          while (res.status === 200 && Date.now() < deadline) res = await h.as(token).get('/metrics');
          expect(res.status).toBe(401);
          expect(res.body.code).toBe('auth.api_token_creator_disabled');
          expect(res.body.message).toMatch(/disabled/);
        }

        await http.as(other.accessToken).patch(`/users/${creator.user.id}`, { disabled: false });
        // Every replica, this one included, forgets its cached check when the event comes back over Redis.
        const deadline = Date.now() + 2000;
        let res = await http.as(token).get('/metrics');
        while (res.status === 401 && Date.now() < deadline) res = await http.as(token).get('/metrics');
        expect(res.status).toBe(200);
      } finally {
        await replica.close();
      }
    });
  });
});

describe('login throttling per account and address (items 10 and 4)', () => {
  let t: TestApp;
  let http: Http;
  const email = 'owner@example.com';

  /** One login from a given client address (in-process, so the socket address can be chosen). */
  const loginFrom = async (remoteAddress: string, password: string, who = email) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      remoteAddress,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: who, password }),
    });
    return { status: res.statusCode, retryAfter: Number(res.headers['retry-after'] ?? 0), body: res.json() };
  };

  beforeAll(async () => {
    t = await startTestApp({
      LOGIN_MAX_PER_IP: '6',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '3',
      LOGIN_ACCOUNT_BACKOFF_AFTER: '8',
    });
    http = new Http(t.baseUrl);
    await t.app.get(UsersService).create(email, TEST_PASSWORD, 'admin');
  });
  afterAll(() => t.close());

  it('locks an attacker’s address out of the account, but not the owner at another address', async () => {
    for (let i = 0; i < 3; i++) expect((await loginFrom('198.51.100.66', 'wrong-password')).status).toBe(401);
    const attacker = await loginFrom('198.51.100.66', TEST_PASSWORD);
    expect(attacker.status).toBe(429);
    expect(attacker.retryAfter).toBeGreaterThan(0);
    expect((await loginFrom('192.0.2.10', TEST_PASSWORD)).status).toBe(200);
  });

  it('slows the account down with a short, growing backoff when failures come from many addresses', async () => {
    const victim = 'spread@example.com';
    await t.app.get(UsersService).create(victim, TEST_PASSWORD, 'consumer');
    // 8 failures from four addresses (2 each, under the per-address lock) reach the account-wide threshold.
    for (let i = 0; i < 8; i++)
      expect((await loginFrom(`203.0.113.${10 + (i % 4)}`, 'wrong', victim)).status).toBe(401);
    const first = await loginFrom('203.0.113.99', 'wrong', victim);
    expect(first.status).toBe(401);
    const held = await loginFrom('203.0.113.100', TEST_PASSWORD, victim);
    expect(held.status).toBe(429);
    expect(held.body.code).toBe('auth.too_many_login_attempts');
    // A backoff of seconds, not a lockout of the whole window.
    expect(held.retryAfter).toBeGreaterThanOrEqual(1);
    expect(held.retryAfter).toBeLessThanOrEqual(2);
  });

  it('counts attempts per socket address whatever X-Forwarded-For says (default TRUST_PROXY)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await http.post(
        '/auth/login',
        { email: `nobody${i}@example.com`, password: 'whatever-wrong' },
        { 'x-forwarded-for': `192.0.2.${100 + i}` },
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
  });
});
