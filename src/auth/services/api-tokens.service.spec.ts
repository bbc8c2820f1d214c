import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { Repository } from 'typeorm';
import { strict } from '../../../test/support/strict';
import { loadConfig } from '../../config/app-config';
import type { EventBus } from '../../events';
import type { ApiTokenEntity } from '../entities/api-token.entity';
import type { UserEntity } from '../entities/user.entity';
import { ApiTokensService } from './api-tokens.service';
import type { Revocations } from './revocations';
import { formatApiToken, hashSecret, newSecret } from './secret-tokens';

const ID = '00000000-0000-4000-8000-000000000001';
const SECRET = newSecret();
const TOKEN = formatApiToken(ID, SECRET);
const ROW = {
  id: ID,
  name: 'load',
  scopes: ['predict'],
  tokenHash: hashSecret(SECRET),
  createdBy: 'u1',
  expiresAt: null,
  revokedAt: null,
} as unknown as ApiTokenEntity;

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ApiTokensService: last known good answers while the database is unreachable', () => {
  let now: number;
  let down: boolean;
  let reads: number;
  let registry: Registry;
  let subscriptions: ((event: unknown) => void)[];
  let readGate: Promise<void> | undefined;

  function service(maxStaleMs = 120_000): ApiTokensService {
    const unreachable = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const tokens = strict<Repository<ApiTokenEntity>>('tokens', {
      findOneBy: async () => {
        reads++;
        const gate = readGate;
        readGate = undefined;
        await gate;
        if (down) throw unreachable();
        return ROW;
      },
      update: async () => ({ affected: 1 }),
    });
    const users = strict<Repository<UserEntity>>('users', {
      findOne: async () => {
        if (down) throw unreachable();
        return { id: 'u1', disabledAt: null };
      },
    });
    subscriptions = [];
    const bus = strict<EventBus>('events', {
      subscribe: (_channel: unknown, handler: (event: unknown) => void) => {
        subscriptions.push(handler);
        return () => undefined;
      },
    });
    registry = new Registry();
    const config = loadConfig({ SERVE_STALE_MAX_MS: String(maxStaleMs) });
    const s = new ApiTokensService(tokens, users, strict<Revocations>('revocations'), bus, config, registry);
    s.onModuleInit();
    return s;
  }

  beforeEach(() => {
    now = 1_000_000;
    down = false;
    reads = 0;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('keeps a verified token working past its freshness while reads fail, counted, up to SERVE_STALE_MAX_MS', async () => {
    const s = service(120_000);
    expect(await s.authenticate(TOKEN)).toMatchObject({ kind: 'token', tokenId: ID });
    down = true;
    now += 61_000; // past the 60 s freshness
    for (let i = 0; i < 3; i++) {
      expect(await s.authenticate(TOKEN)).toMatchObject({ tokenId: ID });
      await settle();
      now += 1_001;
    }
    expect(reads).toBe(1 + 3); // one background read a second
    expect(await registry.getSingleMetricAsString('mlapi_stale_answers_total')).toMatch(
      /mlapi_stale_answers_total\{cache="api-token"\} 2/,
    );
    now += 120_000; // beyond the bound: the request itself must read, and fails
    await expect(s.authenticate(TOKEN)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('does not cache a read that a revocation overtook', async () => {
    const s = service();
    const revoke = subscriptions[0]; // TokenRevoked: the service's first subscription
    await s.authenticate(TOKEN);
    now += 61_000;
    let finishRead!: () => void;
    const gate = new Promise<void>((r) => (finishRead = r));
    readGate = gate;
    await s.authenticate(TOKEN); // starts a background read that waits at the gate
    revoke({ kind: 'api-token', id: ID });
    finishRead();
    await settle();
    await s.authenticate(TOKEN); // nothing cached: read on the request path
    expect(reads).toBe(3);
  });

  it('reads a stale token again off the request path once the database answers', async () => {
    const s = service();
    await s.authenticate(TOKEN);
    now += 61_000;
    await s.authenticate(TOKEN);
    await settle();
    expect(reads).toBe(2);
    await s.authenticate(TOKEN); // fresh again: no read
    expect(reads).toBe(2);
  });
});
