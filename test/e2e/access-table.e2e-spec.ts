import { randomUUID } from 'node:crypto';
import { SCOPES, type Scope } from '../../src/auth/entities/api-token.entity';
import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import { loginAs } from '../support/auth';
import { Http } from '../support/http';
import { creditData, moveAlias, registerBundle, trainCreditBundle } from '../support/model-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

/** Everyone who may knock: the three roles, one API token per scope, and nobody. */
type Caller = 'admin' | 'scientist' | 'consumer' | `token:${Scope}` | 'anonymous';
const USERS = ['admin', 'scientist', 'consumer'] as const;
const CALLERS: Caller[] = [...USERS, ...SCOPES.map((s) => `token:${s}` as const), 'anonymous'];

const PUBLIC: Caller[] = CALLERS;
const SIGNED_IN: Caller[] = [...USERS];
const ADMIN: Caller[] = ['admin'];
const SCIENCE: Caller[] = ['admin', 'scientist'];
const DATA_WRITE: Caller[] = [...SCIENCE, 'token:data:write'];
const TRAIN: Caller[] = [...SCIENCE, 'token:train'];
const MODEL_READ: Caller[] = [...USERS];
const PREDICT: Caller[] = [...USERS, 'token:predict'];
const FEEDBACK: Caller[] = ['admin', 'consumer', 'token:feedback'];
const METRICS: Caller[] = ['admin', 'token:metrics:read'];
const MONITORING_READ: Caller[] = [...SCIENCE, 'token:metrics:read'];

/**
 * The role and scope table (README, "Who may call what"), one row per operation of the OpenAPI
 * document: an operation missing here fails the test, so a new route is decided, not inherited.
 * A served model's own operation (`x-served-model`) is checked against its generic operation's row.
 */
const TABLE: Record<string, Caller[]> = {
  'POST /auth/register': PUBLIC,
  'POST /auth/login': PUBLIC,
  'POST /auth/refresh': PUBLIC,
  // The browser session authenticates by its own cookies (none here: each answers as for a stranger).
  'POST /auth/browser-session': PUBLIC,
  'POST /auth/browser-session/refresh': PUBLIC,
  'DELETE /auth/browser-session': PUBLIC,
  'POST /auth/logout': SIGNED_IN,
  'POST /auth/password': SIGNED_IN,
  'GET /auth/me': SIGNED_IN,
  'GET /auth/sessions': SIGNED_IN,
  'DELETE /auth/sessions/{id}': SIGNED_IN,
  'POST /api-tokens': ADMIN,
  'GET /api-tokens': ADMIN,
  'DELETE /api-tokens/{id}': ADMIN,
  'GET /users': ADMIN,
  'POST /users': ADMIN,
  'PATCH /users/{id}': ADMIN,
  'POST /users/{id}/password': ADMIN,

  'POST /datasets': DATA_WRITE,
  'GET /datasets': SCIENCE,
  'GET /datasets/{ref}': SCIENCE,
  'POST /datasets/{ref}/schema/confirm': DATA_WRITE,
  'DELETE /datasets/{ref}': ADMIN,
  'GET /datasets/{ref}/versions': SCIENCE,
  'GET /datasets/{ref}/versions/{number}': SCIENCE,
  'GET /datasets/{ref}/versions/{number}/rejected': SCIENCE,
  'GET /datasets/{ref}/versions/{number}/rows': SCIENCE,
  'POST /datasets/{ref}/imports': DATA_WRITE,
  'GET /datasets/{ref}/imports/{id}': DATA_WRITE,

  'POST /training-jobs': TRAIN,
  'GET /training-jobs': TRAIN,
  'GET /training-jobs/{id}': TRAIN,
  'DELETE /training-jobs/{id}': TRAIN,

  'POST /experiments': TRAIN,
  'GET /experiments': SCIENCE,
  'GET /experiments/{idOrName}': SCIENCE,
  'POST /runs': TRAIN,
  'GET /runs': SCIENCE,
  'GET /runs/{id}': SCIENCE,
  'PATCH /runs/{id}': TRAIN,
  'GET /runs/{id}/artifact': TRAIN,
  'POST /runs/{id}/metrics': TRAIN,
  'POST /runs/{id}/mirror': TRAIN,

  'GET /models': MODEL_READ,
  'GET /models/{name}': MODEL_READ,
  'GET /models/{name}/versions': MODEL_READ,
  'POST /models/{name}/versions': TRAIN,
  'GET /models/{name}/versions/{version}': MODEL_READ,
  'DELETE /models/{name}/versions/{version}': TRAIN,
  'GET /models/{name}/aliases/{alias}': MODEL_READ,
  'PUT /models/{name}/aliases/{alias}': SCIENCE,
  'GET /models/{name}/aliases/{alias}/history': MODEL_READ,

  'POST /models/{name}/predict': PREDICT,
  'GET /models/{name}/schema': PREDICT,
  'POST /models/{name}/invocations': PREDICT,
  'GET /v2/health/live': PUBLIC,
  'GET /v2/health/ready': PUBLIC,
  'GET /v2/models/{name}': PREDICT,
  'GET /v2/models/{name}/versions/{version}': PREDICT,
  'GET /v2/models/{name}/ready': PREDICT,
  'GET /v2/models/{name}/versions/{version}/ready': PREDICT,
  'POST /v2/models/{name}/infer': PREDICT,
  'POST /v2/models/{name}/versions/{version}/infer': PREDICT,
  'POST /predictions/feedback': FEEDBACK,
  'POST /predictions/{id}/feedback': FEEDBACK,

  'GET /alerts': MONITORING_READ,
  'GET /alerts/{id}': MONITORING_READ,
  'GET /alerts/rules': ADMIN,
  'POST /alerts/rules': ADMIN,
  'PATCH /alerts/rules/{id}': ADMIN,
  'DELETE /alerts/rules/{id}': ADMIN,
  'GET /alerts/webhooks': ADMIN,
  'POST /alerts/webhooks': ADMIN,
  'PATCH /alerts/webhooks/{id}': ADMIN,
  'DELETE /alerts/webhooks/{id}': ADMIN,
  'GET /monitoring/models/{name}/comparison': MONITORING_READ,

  'GET /monitoring/models': MONITORING_READ,
  'GET /monitoring/models/{name}/drift': MONITORING_READ,
  'POST /monitoring/models/{name}/drift': SCIENCE,
  'GET /monitoring/models/{name}/data-quality': MONITORING_READ,
  'GET /monitoring/models/{name}/traffic': MONITORING_READ,
  'GET /monitoring/models/{name}/performance': MONITORING_READ,
  'GET /monitoring/models/{name}/features/{feature}/histogram': MONITORING_READ,
  // The stream's credential is its ticket (401 monitoring.stream_ticket_invalid without one), not a bearer token.
  'POST /dashboard/stream-tickets': SCIENCE,
  'GET /dashboard/stream': PUBLIC,
  'GET /metrics': METRICS,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /health': PUBLIC,
};

/** What the guard answers when it turns a caller away; any other answer means it let them in. */
const DENIALS = new Set(['auth.not_authenticated', 'auth.access_denied', 'auth.user_token_required']);

/** An operation of the document, as far as its served-model mark. */
interface ServedMark {
  'x-served-model'?: { operation: string };
}

interface Operation {
  key: string;
  method: string;
  path: string;
}

/** A made-up value for a path parameter: a uuid for ids (pipes check them after the guard anyway). */
function fill(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === 'id' ? randomUUID() : name === 'version' || name === 'number' ? '1' : `none-${name}`,
  );
}

describe('who may call what: every operation of the OpenAPI document, with every kind of caller', () => {
  let t: TestApp;
  let operations: Operation[];
  const http = new Map<Caller, Http>();

  beforeAll(async () => {
    t = await startTestApp();
    const anonymous = new Http(t.baseUrl);
    http.set('anonymous', anonymous);
    let adminId = '';
    for (const role of USERS) {
      const { user, accessToken } = await loginAs(t, role);
      if (role === 'admin') adminId = user.id;
      http.set(role, anonymous.as(accessToken));
    }
    const tokens = t.app.get(ApiTokensService);
    for (const scope of SCOPES) {
      const { token } = await tokens.create({ name: `only-${scope}`, scopes: [scope] }, adminId);
      http.set(`token:${scope}`, anonymous.as(token));
    }
    // A served model puts its own predict operation in the document.
    await registerBundle(t.app, 'served', await trainCreditBundle(creditData(100), 1, 1, 'logistic'));
    await moveAlias(t.app, 'served', 'production', 1);
    const doc = await anonymous.get<{ paths: Record<string, Record<string, ServedMark>> }>('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/models/served/predict']?.post?.['x-served-model']?.operation).toBe(
      'POST /models/{name}/predict',
    );
    operations = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({
        key: op['x-served-model']?.operation ?? `${m.toUpperCase()} ${path}`,
        method: m.toUpperCase(),
        path,
      })),
    );
    // Logging out ends the caller's session: it goes last, so every other call still has one.
    operations.sort((a, b) => Number(a.key === 'POST /auth/logout') - Number(b.key === 'POST /auth/logout'));
  });
  afterAll(() => t.close());

  it('has a row for every operation, and no row for an operation that is gone', () => {
    const documented = operations.map((o) => o.key);
    expect(documented.filter((k) => !(k in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((k) => !documented.includes(k))).toEqual([]);
  });

  it('lets in exactly the callers of each row and turns the others away with 401/403 naming why', async () => {
    const wrong: string[] = [];
    for (const op of operations) {
      const allowed = TABLE[op.key];
      if (!allowed) continue; // reported by the test above
      for (const caller of CALLERS) {
        const body = ['POST', 'PUT', 'PATCH'].includes(op.method) ? {} : undefined;
        const res = await http
          .get(caller)!
          .request<{ code?: string; message?: string }>(op.method, fill(op.path), body);
        const denied = (res.status === 401 || res.status === 403) && DENIALS.has(res.body?.code ?? '');
        if (denied === allowed.includes(caller))
          wrong.push(
            `${op.key} as ${caller}: ${res.status} ${res.body?.code ?? ''} (expected ${denied ? 'allowed' : 'denied'})`,
          );
        // A role's or a token's refusal names what the caller is; "nobody" is told the token is missing.
        const named = caller === 'anonymous' ? 'token' : caller.startsWith('token:') ? caller.slice(6) : caller;
        if (denied && res.body?.code === 'auth.access_denied' && !res.body.message?.includes(named))
          wrong.push(`${op.key} as ${caller}: the denial does not name the caller: ${res.body.message}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
