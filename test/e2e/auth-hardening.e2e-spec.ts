import { createHmac } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '../../src/bootstrap/create-app';
import { AppConfig } from '../../src/config/app-config';
import { UsersService } from '../../src/auth/services/users.service';
import { TEST_PASSWORD, loginAs } from '../support/auth';
import { Http } from '../support/http';
import { TEST_JWT_SECRET, startTestApp, type TestApp } from '../support/test-app';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function forge(payload: object): string {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', TEST_JWT_SECRET).update(body).digest('base64url')}`;
}
const decode = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

/** A second instance of the app on the same database and Redis prefix, with some settings changed. */
async function replicaOf(t: TestApp, env: Partial<AppConfig['env']> = {}) {
  const app: NestFastifyApplication = await createHttpApp({ config: new AppConfig({ ...t.config.env, ...env }) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  return { app, http: new Http(url) };
}

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

});
