import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { TEST_PASSWORD, loginAs } from '../support/auth';
import { Http } from '../support/http';
import { until } from '../support/multipart';
import { replicaOf } from '../support/replica';
import { startTestApp, type TestApp } from '../support/test-app';

const NEW_PASSWORD = 'a-new-and-long-enough-password';

/** Issue #19, item 11: changing one's password, and an admin's reset that forces a change. */
describe('passwords: change and admin reset (issue #19)', () => {
  let t: TestApp;
  let http: Http;

  /** One request from a chosen client address (in-process), for the throttle's per-address counts. */
  const from = async (remoteAddress: string, url: string, payload: object, token?: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      payload: JSON.stringify(payload),
    });
    return { status: res.statusCode, retryAfter: Number(res.headers['retry-after'] ?? 0), body: res.json() };
  };
  const login = (email: string, password: string) => http.post('/auth/login', { email, password });

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: '3' });
    http = new Http(t.baseUrl);
  });
  afterAll(() => t.close());

  describe('POST /auth/password', () => {
    it('changes the password: the old one stops working, the other sessions end on every replica, the calling one goes on', async () => {
      const caller = await loginAs(t, 'scientist');
      const other = await login(caller.email, TEST_PASSWORD);
      expect(other.status).toBe(200);
      const replica = await replicaOf(t);
      try {
        // The other replica has checked the other session's token before the change.
        expect((await replica.http.as(other.body.accessToken).get('/auth/me')).status).toBe(200);
        const changed = await http
          .as(caller.accessToken)
          .post('/auth/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
        expect(changed.status).toBe(204);
        // It hears of the ended session over Redis (TokenRevoked): allow it a moment.
        await until(
          'the replica to drop the ended session',
          async () => (await replica.http.as(other.body.accessToken).get('/auth/me')).status === 401,
        );
      } finally {
        await replica.close();
      }
      // This replica refuses it at once, and its refresh token; the old password is gone.
      expect((await http.as(other.body.accessToken).get('/auth/me')).status).toBe(401);
      const refreshOther = await http.post('/auth/refresh', { refreshToken: other.body.refreshToken });
      expect(refreshOther.status).toBe(401);
      expect(refreshOther.body.code).toBe('auth.refresh_token_rejected');
      expect((await login(caller.email, TEST_PASSWORD)).status).toBe(401);
      expect((await login(caller.email, NEW_PASSWORD)).status).toBe(200);
      // The calling session goes on: its access token, and its refresh token.
      expect((await http.as(caller.accessToken).get('/datasets')).status).toBe(200);
      const refreshed = await http.post('/auth/refresh', { refreshToken: caller.refreshToken });
      expect(refreshed.status).toBe(200);
      expect((await http.as(refreshed.body.accessToken).get('/auth/me')).status).toBe(200);
    });

    it('answers a wrong current password as a failed login, and counts it in the login throttle', async () => {
      const user = await loginAs(t, 'consumer');
      const attacker = '198.51.100.23';
      for (let i = 0; i < 3; i++) {
        const wrong = await from(
          attacker,
          '/auth/password',
          { currentPassword: `wrong-password-${i}`, newPassword: NEW_PASSWORD },
          user.accessToken,
        );
        expect(wrong.status).toBe(401);
        expect(wrong.body.code).toBe('auth.invalid_credentials');
        expect(wrong.body.message).toMatch(/current password/);
      }
      // The limit reached: the right password is refused from that address too, and so is a login.
      const held = await from(
        attacker,
        '/auth/password',
        { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
        user.accessToken,
      );
      expect(held.status).toBe(429);
      expect(held.body.code).toBe('auth.too_many_login_attempts');
      expect(held.retryAfter).toBeGreaterThan(0);
      expect((await from(attacker, '/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(429);
      // Nothing changed: the owner, elsewhere, still logs in with the old password, and the session lives.
      expect((await from('192.0.2.44', '/auth/login', { email: user.email, password: TEST_PASSWORD })).status).toBe(
        200,
      );
      expect((await http.as(user.accessToken).get('/auth/me')).status).toBe(200);
    });

    it('enforces the password rules, refuses the current password as the new one, and changes nothing then', async () => {
      const user = await loginAs(t, 'consumer');
      const me = http.as(user.accessToken);
      const cases: [object, string, RegExp][] = [
        [{ currentPassword: TEST_PASSWORD, newPassword: 'short-11chr' }, 'newPassword', /12/],
        [{ currentPassword: TEST_PASSWORD, newPassword: 'x'.repeat(257) }, 'newPassword', /256/],
        [{ currentPassword: TEST_PASSWORD, newPassword: 12345678901234 }, 'newPassword', /string/],
        [{ newPassword: NEW_PASSWORD }, 'currentPassword', /string/],
        [{ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, password: 'x' }, 'password', /should not exist/],
        [{ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }, 'newPassword', /differ from currentPassword/],
      ];
      for (const [body, field, message] of cases) {
        const res = await me.post('/auth/password', body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({
          body,
          status: 422,
          code: 'common.validation_failed',
        });
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]),
        );
      }
      expect((await login(user.email, TEST_PASSWORD)).status).toBe(200);
    });

    it('is a person’s endpoint: an API token cannot call it', async () => {
      const admin = await loginAs(t, 'admin');
      for (const scopes of [['predict'], ['train', 'data:write', 'feedback', 'metrics:read']]) {
        const { token } = await t.app
          .get(ApiTokensService)
          .create({ name: 'bot', scopes: scopes as never }, admin.user.id);
        const res = await http
          .as(token)
          .post('/auth/password', { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('auth.access_denied');
      }
      expect((await login(admin.email, TEST_PASSWORD)).status).toBe(200);
    });
  });

  describe('POST /users (a password the admin chose)', () => {
    it('makes the user change it at first login, as a reset does; mustChangePassword: false opts out', async () => {
      const admin = http.as((await loginAs(t, 'admin')).accessToken);
      const chosen = 'chosen-by-the-admin-123';
      const created = await admin.post('/users', {
        email: 'by-an-admin@example.com',
        password: chosen,
        role: 'scientist',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ passwordChangeRequired: true, passwordChangedAt: null });

      const first = await login('by-an-admin@example.com', chosen);
      expect(first.status).toBe(200);
      expect(first.body.passwordChangeRequired).toBe(true);
      const session = http.as(first.body.accessToken);
      const refused = await session.get('/models');
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'auth.password_change_required',
      });
      expect((await session.get('/auth/me')).body.passwordChangeRequired).toBe(true);
      const changed = await session.post('/auth/password', { currentPassword: chosen, newPassword: NEW_PASSWORD });
      expect(changed.status).toBe(204);
      expect((await session.get('/models')).status).toBe(200);
      expect((await login('by-an-admin@example.com', NEW_PASSWORD)).body.passwordChangeRequired).toBe(false);

      // A service account: the admin opts out, and its first login reaches everything its role does.
      const service = await admin.post('/users', {
        email: 'service@example.com',
        password: chosen,
        role: 'consumer',
        mustChangePassword: false,
      });
      expect(service.body.passwordChangeRequired).toBe(false);
      const serviceLogin = await login('service@example.com', chosen);
      expect(serviceLogin.body.passwordChangeRequired).toBe(false);
      expect((await http.as(serviceLogin.body.accessToken).get('/models')).status).toBe(200);
      const bad = await admin.post('/users', {
        email: 'x2@example.com',
        password: chosen,
        role: 'consumer',
        mustChangePassword: 'no',
      });
      expect({ status: bad.status, field: bad.body.details?.[0]?.field }).toEqual({
        status: 422,
        field: 'mustChangePassword',
      });
    });
  });

  describe('POST /users/{id}/password (admin reset)', () => {
    it('sets a temporary password, ends the sessions, and lets the user do nothing but change it, on any replica and after a restart', async () => {
      const admin = http.as((await loginAs(t, 'admin')).accessToken);
      const user = await loginAs(t, 'consumer');

      const reset = await admin.post(`/users/${user.user.id}/password`);
      expect(reset.status).toBe(200);
      expect(reset.headers.get('cache-control')).toBe('no-store');
      expect(reset.body).toMatchObject({ id: user.user.id, email: user.email, passwordChangeRequired: true });
      const temporary: string = reset.body.temporaryPassword;
      expect(temporary.length).toBeGreaterThanOrEqual(12);
      // Every session ended; the old password is gone.
      expect((await http.as(user.accessToken).get('/auth/me')).status).toBe(401);
      expect((await http.post('/auth/refresh', { refreshToken: user.refreshToken })).status).toBe(401);
      expect((await login(user.email, TEST_PASSWORD)).status).toBe(401);
      const listed = await admin.get('/users?limit=500');
      expect(listed.body.items.find((u: { id: string }) => u.id === user.user.id)).toMatchObject({
        passwordChangeRequired: true,
        passwordChangedAt: expect.any(String),
      });

      const flagged = await login(user.email, temporary);
      expect(flagged.status).toBe(200);
      expect(flagged.body.passwordChangeRequired).toBe(true);
      const session = http.as(flagged.body.accessToken);
      const refused = await session.get('/models');
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('auth.password_change_required');
      expect(refused.body.message).toContain('POST /auth/password');
      expect((await session.get('/auth/sessions')).body.code).toBe('auth.password_change_required');
      const me = await session.get('/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.passwordChangeRequired).toBe(true);
      // A refresh keeps the restriction; so does a replica started after the reset (nothing in memory).
      const refreshed = await http.post('/auth/refresh', { refreshToken: flagged.body.refreshToken });
      expect(refreshed.body.passwordChangeRequired).toBe(true);
      const replica = await replicaOf(t);
      try {
        const onReplica = await replica.http.as(refreshed.body.accessToken).get('/models');
        expect(onReplica.status).toBe(403);
        expect(onReplica.body.code).toBe('auth.password_change_required');

        const changed = await http
          .as(refreshed.body.accessToken)
          .post('/auth/password', { currentPassword: temporary, newPassword: NEW_PASSWORD });
        expect(changed.status).toBe(204);
        // The same token works at once, here and on the replica.
        expect((await http.as(refreshed.body.accessToken).get('/models')).status).toBe(200);
        expect((await replica.http.as(refreshed.body.accessToken).get('/models')).status).toBe(200);
      } finally {
        await replica.close();
      }
      const again = await login(user.email, NEW_PASSWORD);
      expect(again.body.passwordChangeRequired).toBe(false);
      expect((await login(user.email, temporary)).status).toBe(401);
      const after = await admin.get('/users?limit=500');
      expect(after.body.items.find((u: { id: string }) => u.id === user.user.id).passwordChangeRequired).toBe(false);
    });

    it('keeps a flagged admin from minting API tokens or administering, but lets them log out', async () => {
      const admin = http.as((await loginAs(t, 'admin')).accessToken);
      const other = await loginAs(t, 'admin');
      const { temporaryPassword } = (await admin.post(`/users/${other.user.id}/password`)).body;
      const flagged = http.as((await login(other.email, temporaryPassword)).body.accessToken);
      for (const res of [
        await flagged.post('/api-tokens', { name: 'escape-hatch', scopes: ['predict'] }),
        await flagged.get('/users'),
        await flagged.post(`/users/${other.user.id}/password`),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('auth.password_change_required');
      }
      expect((await admin.get('/api-tokens')).body.map((r: { name: string }) => r.name)).not.toContain('escape-hatch');
      expect((await flagged.post('/auth/logout')).status).toBe(204);
      expect((await flagged.get('/auth/me')).status).toBe(401);
    });

    it('is for admins only, not for one’s own password, and takes no body', async () => {
      const target = await loginAs(t, 'consumer');
      for (const role of ['consumer', 'scientist'] as const) {
        const res = await http.as((await loginAs(t, role)).accessToken).post(`/users/${target.user.id}/password`);
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('auth.access_denied');
      }
      const admin = await loginAs(t, 'admin');
      const self = await http.as(admin.accessToken).post(`/users/${admin.user.id}/password`);
      expect(self.status).toBe(409);
      expect(self.body.code).toBe('auth.own_password_reset_refused');
      expect(self.body.message).toContain('POST /auth/password');
      const unknown = await http.as(admin.accessToken).post('/users/00000000-0000-4000-8000-000000000000/password');
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('auth.user_not_found');
      const chosen = await http
        .as(admin.accessToken)
        .post(`/users/${target.user.id}/password`, { newPassword: NEW_PASSWORD });
      expect(chosen.status).toBe(422);
      expect(chosen.body.details[0].field).toBe('newPassword');
      // None of these touched the target.
      expect((await http.as(target.accessToken).get('/auth/me')).body.passwordChangeRequired).toBe(false);
      expect((await login(target.email, TEST_PASSWORD)).status).toBe(200);
    });
  });
});

describe('passwords: the audit log', () => {
  let t: TestApp;
  let http: Http;
  const login = (email: string, password: string) => http.post('/auth/login', { email, password });

  beforeAll(async () => {
    // Its own app: a replica closed in another case takes Nest's (process-wide) logger with it. The
    // audit lines are at info, whatever the tests' default level.
    t = await startTestApp({ LOG_LEVEL: 'info' });
    http = new Http(t.baseUrl);
  });
  afterAll(() => t.close());

  it('logs each change, reset and creation by an admin, without a password', async () => {
    const admin = await loginAs(t, 'admin');
    const user = await loginAs(t, 'consumer');
    const { temporaryPassword } = (await http.as(admin.accessToken).post(`/users/${user.user.id}/password`)).body;
    const flagged = await login(user.email, temporaryPassword);
    await http
      .as(flagged.body.accessToken)
      .post('/auth/password', { currentPassword: temporaryPassword, newPassword: NEW_PASSWORD });
    const lines = t
      .logs()
      .split('\n')
      .filter((l) => l.includes(user.user.id));
    expect(lines.some((l) => l.includes('password reset by an admin') && l.includes(admin.user.id))).toBe(true);
    expect(lines.some((l) => l.includes('password changed'))).toBe(true);
    const chosen = 'chosen-by-the-admin-456';
    const created = await http
      .as(admin.accessToken)
      .post('/users', { email: 'logged@example.com', password: chosen, role: 'consumer' });
    expect(
      t
        .logs()
        .split('\n')
        .some(
          (l) =>
            l.includes('user created by an admin') &&
            l.includes(created.body.id) &&
            l.includes(admin.user.id) &&
            l.includes('"passwordChangeRequired":true'),
        ),
    ).toBe(true);
    const logs = t.logs();
    for (const secret of [temporaryPassword, NEW_PASSWORD, TEST_PASSWORD, chosen]) expect(logs).not.toContain(secret);
  });
});
