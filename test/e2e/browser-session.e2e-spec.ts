import { UsersService } from '../../src/auth/services/users.service';
import { TEST_PASSWORD, loginAs } from '../support/auth';
import { CookieJar } from '../support/cookie-jar';
import { Http } from '../support/http';
import { startTestApp, type TestApp } from '../support/test-app';

/** A browser: sends its cookies (by path) and keeps what the answers set. */
class Browser {
  readonly jar = new CookieJar();
  constructor(private readonly baseUrl: string) {}

  async request(method: string, path: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    const cookie = this.jar.header(path.split('?')[0]);
    if (cookie) headers.cookie = cookie;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      redirect: 'manual',
    });
    this.jar.take(res.headers);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  csrf(): Record<string, string> {
    return { 'x-csrf-token': this.jar.get('mlapi_csrf')?.value ?? '' };
  }
}

describe('the browser session: cookies, CSRF, rotation and logout', () => {
  let t: TestApp;
  const email = 'browser-admin@example.com';

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(UsersService).create(email, TEST_PASSWORD, 'admin');
  });
  afterAll(() => t.close());

  async function loggedIn(): Promise<Browser> {
    const b = new Browser(t.baseUrl);
    const res = await b.request('POST', '/auth/browser-session', { body: { email, password: TEST_PASSWORD } });
    expect(res.status).toBe(200);
    return b;
  }

  it('logs in with cookies: HttpOnly SameSite=Strict session and refresh, a readable CSRF cookie, no token in the body', async () => {
    const b = new Browser(t.baseUrl);
    const res = await b.request('POST', '/auth/browser-session', { body: { email, password: TEST_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(email);
    expect(res.body.accessToken).toBeUndefined();
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(res.headers.get('cache-control')).toBe('no-store');
    const session = b.jar.get('mlapi_session')!;
    const refresh = b.jar.get('mlapi_refresh')!;
    const csrf = b.jar.get('mlapi_csrf')!;
    expect(session.path).toBe('/');
    expect(session.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Max-Age=900']));
    expect(session.attributes).not.toContain('Secure'); // plain HTTP here
    expect(refresh.path).toBe('/auth/browser-session');
    expect(refresh.attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict']));
    expect(csrf.attributes).toContain('SameSite=Strict');
    expect(csrf.attributes).not.toContain('HttpOnly');
    expect(csrf.value).toBe(res.body.csrfToken);
  });

  it('refuses a wrong password as POST /auth/login does', async () => {
    const res = await new Browser(t.baseUrl).request('POST', '/auth/browser-session', {
      body: { email, password: 'not-the-password-at-all' },
    });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('auth.invalid_credentials');
  });

  it('authenticates a GET by the cookie; a POST needs X-CSRF-Token equal to the cookie', async () => {
    const b = await loggedIn();
    const me = await b.request('GET', '/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.email).toBe(email);
    const body = { email: 'made-by-cookie@example.com', password: TEST_PASSWORD, role: 'consumer' };
    const wrongHeaders: Record<string, string>[] = [
      {},
      { 'x-csrf-token': 'wrong' },
      { 'x-csrf-token': `${b.csrf()['x-csrf-token']}x` },
    ];
    for (const headers of wrongHeaders) {
      const refused = await b.request('POST', '/users', { body, headers });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('auth.csrf_failed');
    }
    expect(await t.app.get(UsersService).findByEmail(body.email)).toBeNull();
    const made = await b.request('POST', '/users', { body, headers: b.csrf() });
    expect(made.status).toBe(201);
    expect(made.body.email).toBe(body.email);
  });

  it("refuses another session's CSRF token even when the cookie is set to match it", async () => {
    const [a, other] = [await loggedIn(), await loggedIn()];
    const planted = other.jar.get('mlapi_csrf')!.value;
    const res = await fetch(`${t.baseUrl}/auth/logout`, {
      method: 'POST',
      headers: {
        cookie: `mlapi_session=${a.jar.get('mlapi_session')!.value}; mlapi_csrf=${planted}`,
        'x-csrf-token': planted,
      },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('auth.csrf_failed');
  });

  it('rotates on refresh (with the CSRF header); the old refresh cookie then revokes the session', async () => {
    const b = await loggedIn();
    const noCsrf = await b.request('POST', '/auth/browser-session/refresh');
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('auth.csrf_failed');
    const oldRefresh = b.jar.get('mlapi_refresh')!.value;
    const res = await b.request('POST', '/auth/browser-session/refresh', { headers: b.csrf() });
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe(email);
    expect(b.jar.get('mlapi_refresh')!.value).not.toBe(oldRefresh);
    // A new access cookie (the same JWT within the same second: its claims and times are equal).
    expect(res.headers.getSetCookie().filter((c) => c.startsWith('mlapi_session='))).toHaveLength(1);
    expect(b.jar.get('mlapi_csrf')!.value).toBe(res.body.csrfToken);
    expect((await b.request('GET', '/auth/me')).status).toBe(200);
    // Replaying the old refresh cookie: rejected, and the whole session ends.
    const replay = await fetch(`${t.baseUrl}/auth/browser-session/refresh`, {
      method: 'POST',
      headers: { cookie: `mlapi_refresh=${oldRefresh}; mlapi_csrf=${res.body.csrfToken}`, ...b.csrf() },
    });
    expect(replay.status).toBe(401);
    expect((await b.request('GET', '/auth/me')).status).toBe(401);
  });

  it('logs out: clears the cookies, and the old session cookie stops working', async () => {
    const b = await loggedIn();
    const session = b.jar.get('mlapi_session')!.value;
    const refused = await b.request('DELETE', '/auth/browser-session');
    expect(refused.status).toBe(403);
    const res = await b.request('DELETE', '/auth/browser-session', { headers: b.csrf() });
    expect(res.status).toBe(204);
    expect(b.jar.get('mlapi_session')).toBeUndefined();
    expect(b.jar.get('mlapi_refresh')).toBeUndefined();
    expect(b.jar.get('mlapi_csrf')).toBeUndefined();
    const old = await fetch(`${t.baseUrl}/auth/me`, { headers: { cookie: `mlapi_session=${session}` } });
    expect(old.status).toBe(401);
  });

  it('leaves bearer tokens as they were: no CSRF asked, and the header wins over a cookie', async () => {
    const { accessToken } = await loginAs(t, 'admin');
    const http = new Http(t.baseUrl).as(accessToken);
    const made = await http.post('/users', {
      email: 'made-by-bearer@example.com',
      password: TEST_PASSWORD,
      role: 'consumer',
    });
    expect(made.status).toBe(201);
    const b = await loggedIn();
    const bad = await fetch(`${t.baseUrl}/auth/me`, {
      headers: { cookie: `mlapi_session=${b.jar.get('mlapi_session')!.value}`, authorization: 'Bearer nonsense' },
    });
    expect(bad.status).toBe(401);
    // An API token in the session cookie is not taken.
    const apiLike = await fetch(`${t.baseUrl}/auth/me`, { headers: { cookie: 'mlapi_session=mlt_abc' } });
    expect(apiLike.status).toBe(401);
  });
});
