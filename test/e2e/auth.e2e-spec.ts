import { createHmac } from 'node:crypto';
import { UsersService } from '../../src/auth/services/users.service';
import { TEST_PASSWORD, loginAs, tokenFor } from '../support/auth';
import { Http } from '../support/http';
import { TEST_JWT_SECRET, startTestApp, type TestApp } from '../support/test-app';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function forge(header: object, payload: object, secret = TEST_JWT_SECRET): string {
  const body = `${b64(header)}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

describe('auth (real app, PostgreSQL, Redis)', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startTestApp();
    http = new Http(t.baseUrl);
  });
  afterAll(() => t.close());

  describe('login, me, refresh, logout', () => {
    it('logs in and answers /auth/me', async () => {
      const { accessToken, email } = await loginAs(t, 'scientist');
      const me = await http.as(accessToken).get('/auth/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email, role: 'scientist', disabledAt: null });
      expect(me.body.passwordHash).toBeUndefined();
      const claims = decode(accessToken);
      expect(claims).toMatchObject({ iss: 'ml-api', aud: 'ml-api', role: 'scientist' });
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    });

    it('gives the same answer for a wrong email and a wrong password', async () => {
      const { email } = await loginAs(t, 'consumer');
      const wrongPassword = await http.post('/auth/login', { email, password: 'not-the-password' });
      const wrongEmail = await http.post('/auth/login', { email: 'nobody@example.com', password: 'not-the-password' });
      expect(wrongPassword.status).toBe(401);
      expect(wrongEmail.status).toBe(401);
      expect(wrongEmail.body.message).toBe(wrongPassword.body.message);
    });

    it('validates the login body field by field', async () => {
      const res = await http.post('/auth/login', { email: 'not-an-email', extra: 1 });
      expect(res.status).toBe(422);
      const fields = (res.body.details as { field: string }[]).map((d) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'extra']));
    });

    it('rotates refresh tokens and revokes the family when an old one is reused', async () => {
      const first = await loginAs(t, 'consumer');
      const second = await http.post('/auth/refresh', { refreshToken: first.refreshToken });
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect((await http.as(second.body.accessToken).get('/auth/me')).status).toBe(200);

      const replay = await http.post('/auth/refresh', { refreshToken: first.refreshToken });
      expect(replay.status).toBe(401);
      expect(replay.body.message).toMatch(/revoked/);
      // The whole session is gone: the newest refresh and access tokens no longer work.
      expect((await http.post('/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
      expect((await http.as(second.body.accessToken).get('/auth/me')).status).toBe(401);
    });

    it('refuses an unknown refresh token', async () => {
      expect((await http.post('/auth/refresh', { refreshToken: 'x'.repeat(43) })).status).toBe(401);
    });

    it('logs out: the access and refresh tokens stop working', async () => {
      const { accessToken, refreshToken } = await loginAs(t, 'consumer');
      expect((await http.as(accessToken).post('/auth/logout')).status).toBe(204);
      expect((await http.as(accessToken).get('/auth/me')).status).toBe(401);
      expect((await http.post('/auth/refresh', { refreshToken })).status).toBe(401);
    });

    it('lists and revokes one’s own sessions, but not anybody else’s', async () => {
      const a = await loginAs(t, 'consumer');
      const again = await http.post('/auth/login', { email: a.email, password: TEST_PASSWORD });
      const list = await http.as(a.accessToken).get('/auth/sessions');
      expect(list.status).toBe(200);
      expect(list.body).toHaveLength(2);
      expect(list.body.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

      const other = await loginAs(t, 'consumer');
      expect((await http.as(other.accessToken).delete(`/auth/sessions/${again.body.sessionId}`)).status).toBe(404);
      expect((await http.as(a.accessToken).delete(`/auth/sessions/${again.body.sessionId}`)).status).toBe(204);
      expect((await http.as(again.body.accessToken).get('/auth/me')).status).toBe(401);
      expect((await http.as(a.accessToken).get('/auth/me')).status).toBe(200);
    });
  });

  describe('bad tokens', () => {
    let valid: string;
    beforeAll(async () => {
      valid = await tokenFor(t, 'admin');
    });

    it('refuses a missing token', async () => {
      const res = await http.get('/auth/me');
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', details: [] });
    });

    it('refuses an expired token', async () => {
      const claims = decode(valid);
      const now = Math.floor(Date.now() / 1000);
      const expired = forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 1000, exp: now - 10 });
      expect((await http.as(expired).get('/auth/me')).status).toBe(401);
    });

    it('refuses a tampered signature and a tampered payload, also once the genuine token is cached', async () => {
      expect((await http.as(valid).get('/auth/me')).status).toBe(200);
      const [h, p, s] = valid.split('.');
      const flipped = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
      expect((await http.as(flipped).get('/auth/me')).status).toBe(401);
      const promoted = `${h}.${b64({ ...decode(valid), role: 'admin', sub: '00000000-0000-0000-0000-000000000000' })}.${s}`;
      expect((await http.as(promoted).get('/auth/me')).status).toBe(401);
    });

    it('refuses alg none and other algorithms', async () => {
      const claims = decode(valid);
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      expect((await http.as(none).get('/auth/me')).status).toBe(401);
      const hs512 = (() => {
        const body = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims)}`;
        return `${body}.${createHmac('sha512', TEST_JWT_SECRET).update(body).digest('base64url')}`;
      })();
      expect((await http.as(hs512).get('/auth/me')).status).toBe(401);
    });

    it('refuses a wrong audience or issuer, and a token signed with another secret', async () => {
      const claims = decode(valid);
      expect((await http.as(forge({ alg: 'HS256' }, { ...claims, aud: 'someone-else' })).get('/auth/me')).status).toBe(
        401,
      );
      expect((await http.as(forge({ alg: 'HS256' }, { ...claims, iss: 'evil' })).get('/auth/me')).status).toBe(401);
      expect(
        (await http.as(forge({ alg: 'HS256' }, claims, 'another-secret-of-enough-length-0123456789')).get('/auth/me'))
          .status,
      ).toBe(401);
      // The control: the same claims signed with the right secret pass.
      expect((await http.as(forge({ alg: 'HS256' }, claims)).get('/auth/me')).status).toBe(200);
    });
  });

  describe('roles and admin endpoints', () => {
    it('keeps consumers and scientists out of admin endpoints', async () => {
      for (const role of ['consumer', 'scientist'] as const) {
        const token = await tokenFor(t, role);
        const res = await http.as(token).get('/users');
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('Forbidden');
      }
    });

    it('lets an admin create, list, re-role and disable users', async () => {
      const admin = http.as(await tokenFor(t, 'admin'));
      const created = await admin.post('/users', {
        email: 'New.Person@Example.com',
        password: 'another-long-password',
        role: 'consumer',
      });
      expect(created.status).toBe(201);
      expect(created.body.email).toBe('new.person@example.com');
      // The admin chose the password: the user changes it at first login (auth-password.e2e-spec.ts).
      expect(created.body.passwordChangeRequired).toBe(true);
      expect(
        (
          await admin.post('/users', {
            email: 'new.person@example.com',
            password: 'another-long-password',
            role: 'consumer',
          })
        ).status,
      ).toBe(409);
      expect((await admin.post('/users', { email: 'x@example.com', password: 'short', role: 'king' })).status).toBe(
        422,
      );

      const list = await admin.get('/users?limit=500');
      expect(list.body.items.map((u: { email: string }) => u.email)).toContain('new.person@example.com');

      const login = await http.post('/auth/login', {
        email: 'new.person@example.com',
        password: 'another-long-password',
      });
      const token = login.body.accessToken as string;
      const promoted = await admin.patch(`/users/${created.body.id}`, { role: 'scientist' });
      expect(promoted.body.role).toBe('scientist');
      // Tokens carry the role, so a role change ends the user's sessions.
      expect((await http.as(token).get('/auth/me')).status).toBe(401);
    });

    it('refuses a disabled user: existing tokens stop, login and refresh fail', async () => {
      const admin = http.as(await tokenFor(t, 'admin'));
      const victim = await loginAs(t, 'consumer');
      expect((await admin.patch(`/users/${victim.user.id}`, { disabled: true })).body.disabledAt).not.toBeNull();
      expect((await http.as(victim.accessToken).get('/auth/me')).status).toBe(401);
      expect((await http.post('/auth/refresh', { refreshToken: victim.refreshToken })).status).toBe(401);
      expect((await http.post('/auth/login', { email: victim.email, password: TEST_PASSWORD })).status).toBe(401);
      await admin.patch(`/users/${victim.user.id}`, { disabled: false });
      expect((await http.post('/auth/login', { email: victim.email, password: TEST_PASSWORD })).status).toBe(200);
    });

    it('keeps registration closed by default', async () => {
      const res = await http.post('/auth/register', {
        email: 'walk-in@example.com',
        password: 'a-long-enough-password',
      });
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/admin/);
    });
  });

  describe('API tokens', () => {
    it('are created with scopes, shown once, checked by scope, and revocable', async () => {
      const admin = http.as(await tokenFor(t, 'admin'));
      const created = await admin.post('/api-tokens', { name: 'ci-bot', scopes: ['metrics:read'] });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^mlt_/);
      const listed = await admin.get('/api-tokens');
      const row = listed.body.find((r: { id: string }) => r.id === created.body.id);
      expect(row.token).toBeUndefined();
      expect(JSON.stringify(listed.body)).not.toContain(created.body.token);

      const bot = http.as(created.body.token);
      // An API token reaches only endpoints that name one of its scopes.
      expect((await bot.get('/users')).status).toBe(403);
      expect((await bot.get('/auth/me')).status).toBe(403);
      expect((await http.as(`${created.body.token.slice(0, -1)}x`).get('/users')).status).toBe(401);

      expect((await admin.delete(`/api-tokens/${created.body.id}`)).status).toBe(204);
      expect((await bot.get('/users')).status).toBe(401);
      expect((await admin.delete('/api-tokens/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });

    it('refuses bad token requests field by field', async () => {
      const admin = http.as(await tokenFor(t, 'admin'));
      const res = await admin.post('/api-tokens', { name: '', scopes: ['root'], expiresAt: '2001-01-01T00:00:00Z' });
      expect(res.status).toBe(422);
      const fields = res.body.details.map((d: { field: string }) => d.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'scopes']));
      const past = await admin.post('/api-tokens', {
        name: 'old',
        scopes: ['predict'],
        expiresAt: '2001-01-01T00:00:00Z',
      });
      expect(past.status).toBe(422);
      expect(past.body.details[0].field).toBe('expiresAt');
    });
  });

  it('never writes passwords or tokens to the log', async () => {
    const { accessToken, refreshToken } = await loginAs(t, 'consumer');
    await http.as(accessToken).get('/auth/me');
    await http.post('/auth/refresh', { refreshToken });
    const logs = t.logs();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(TEST_PASSWORD);
    expect(logs).not.toContain(accessToken);
    expect(logs).not.toContain(refreshToken);
    expect(logs).not.toContain(TEST_JWT_SECRET);
    expect(logs).not.toContain('$argon2id$');
  });

  it('creates the first admin from the environment only when none exists', async () => {
    const users = t.app.get(UsersService);
    const existing = await users.ensureAdmin('second-admin@example.com', 'a-long-enough-password');
    expect(existing).toBeNull(); // admins already exist in this database
  });
});

describe('login throttling', () => {
  let t: TestApp;
  let http: Http;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_PER_IP: '8', LOGIN_MAX_FAILURES_PER_ADDRESS: '3' });
    http = new Http(t.baseUrl);
  });
  afterAll(() => t.close());

  it('throttles an account after repeated failures, with Retry-After', async () => {
    const users = t.app.get(UsersService);
    await users.create('target@example.com', TEST_PASSWORD, 'consumer');
    for (let i = 0; i < 3; i++)
      expect((await http.post('/auth/login', { email: 'target@example.com', password: 'wrong-password' })).status).toBe(
        401,
      );
    const blocked = await http.post('/auth/login', { email: 'target@example.com', password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('throttles an IP after too many attempts', async () => {
    let last = 0;
    // Limit 8 per IP: the 9th attempt is refused whatever happened before.
    for (let i = 0; i < 9; i++)
      last = (await http.post('/auth/login', { email: `nobody${i}@example.com`, password: 'whatever-wrong' })).status;
    expect(last).toBe(429);
  });
});
