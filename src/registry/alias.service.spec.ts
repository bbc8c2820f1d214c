import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { strict } from '../../test/support/strict';
import { loadConfig } from '../config/app-config';
import type { EventBus, EventChannel } from '../events';
import { AliasMoved } from './alias-moved.event';
import { AliasService } from './alias.service';
import { AliasAuditEntity } from './entities/alias-audit.entity';
import { ModelAliasEntity } from './entities/model-alias.entity';
import { ModelVersionEntity } from './entities/model-version.entity';
import type { MirrorProducer } from './mlflow/mirror.producer';
import type { ModelRegistryService } from './model-registry.service';
import { RegistryErrorCode } from './registry.errors';

const config = loadConfig({
  GATE_MIN_METRICS: 'roc_auc>=0.7',
  GATE_PRIMARY_METRIC: 'roc_auc',
  GATE_MAX_REGRESSION: '0.01',
});
const version = (n: number, auc: number) =>
  ({
    id: `v${n}`,
    version: n,
    metrics: { roc_auc: auc },
    evaluationDatasetVersionId: 'ds',
    evaluationSplit: null,
  }) as unknown as ModelVersionEntity;

function setup(candidate: ModelVersionEntity, holder: ModelVersionEntity | null, publishFails = false) {
  const writes: string[] = [];
  const repos = new Map<unknown, object>([
    [ModelVersionEntity, strict('versions', { findOneBy: async () => candidate, findOneByOrFail: async () => holder })],
    [
      ModelAliasEntity,
      strict('aliases', {
        findOneBy: async () => (holder ? { versionId: holder.id } : null),
        upsert: async () => writes.push('alias'),
      }),
    ],
    [
      AliasAuditEntity,
      strict('audit', {
        save: async (row: object) => (writes.push('audit'), { ...row, id: 'a1', createdAt: new Date(0) }),
      }),
    ],
  ]);
  const manager = strict('manager', { getRepository: (e: unknown) => repos.get(e) });
  const dataSource = strict<DataSource>('dataSource', {
    transaction: async (fn: (m: unknown) => unknown) => fn(manager),
  });
  const models = strict<ModelRegistryService>('models', { lockModel: async () => ({ id: 'm1', name: 'churn' }) });
  const published: unknown[] = [];
  const events = strict<EventBus>('events', {
    publish: async (c: EventChannel<unknown>, p: unknown) => {
      published.push([c, p]);
      if (publishFails) throw new Error('redis is down');
    },
  });
  const mirrored: string[] = [];
  const mirror = strict<MirrorProducer>('mirror', { requestModel: (name: string) => void mirrored.push(name) });
  return { service: new AliasService(dataSource, models, events, mirror, config), writes, published, mirrored };
}

describe('AliasService.move', () => {
  it('refuses force from a non-admin before touching anything (403)', async () => {
    const service = new AliasService(strict('ds'), strict('models'), strict('events'), strict('mirror'), config);
    await expect(
      service.move('churn', 'production', { version: 2, reason: 'x', force: true }, { id: 'user:s', isAdmin: false }),
    ).rejects.toMatchObject({ code: RegistryErrorCode.FORCE_NEEDS_ADMIN });
  });

  it('refuses an invalid alias name (422)', async () => {
    const service = new AliasService(strict('ds'), strict('models'), strict('events'), strict('mirror'), config);
    await expect(
      service.move('churn', '1-bad', { version: 2, reason: 'x' }, { id: 'user:s', isAdmin: true }),
    ).rejects.toMatchObject({ code: RegistryErrorCode.INVALID_ALIAS_NAME });
  });

  it('refuses a regression with the gate reasons and writes nothing', async () => {
    const { service, writes, published } = setup(version(2, 0.75), version(1, 0.8));
    await expect(
      service.move('churn', 'production', { version: 2, reason: 'try' }, { id: 'user:s', isAdmin: false }),
    ).rejects.toMatchObject({
      code: RegistryErrorCode.QUALITY_GATE_REFUSED,
      details: [{ field: 'metrics.roc_auc', message: expect.stringMatching(/worse than version 1/) }],
    });
    expect(writes).toEqual([]);
    expect(published).toEqual([]);
  });

  it('lets an admin force past the gate, audits it as forced and publishes AliasMoved', async () => {
    const { service, writes, published } = setup(version(2, 0.75), version(1, 0.8));
    const move = await service.move(
      'churn',
      'production',
      { version: 2, reason: 'hotfix', force: true },
      { id: 'user:a', isAdmin: true },
    );
    expect(move).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      forced: true,
      actor: 'user:a',
      gate: { passed: false },
    });
    expect(writes).toEqual(['alias', 'audit']);
    const event = {
      modelName: 'churn',
      alias: 'production',
      fromVersion: 1,
      toVersion: 2,
      versionId: 'v2',
      actor: 'user:a',
      reason: 'hotfix',
      forced: true,
      auditId: 'a1',
      movedAt: new Date(0).toISOString(),
    };
    expect(published).toEqual([[AliasMoved, event]]);
    expect(AliasMoved).toMatchObject({ name: 'registry.alias-moved', scope: 'cluster' });
  });

  it('keeps a committed move when the event cannot reach the other replicas, and logs it', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { service, writes, published, mirrored } = setup(version(2, 0.85), version(1, 0.8), true);
    const move = await service.move(
      'churn',
      'production',
      { version: 2, reason: 'better' },
      { id: 'user:a', isAdmin: false },
    );
    expect(move).toMatchObject({ fromVersion: 1, toVersion: 2 });
    expect(published).toHaveLength(1);
    expect(writes).toEqual(['alias', 'audit']);
    expect(mirrored).toEqual(['churn']);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({ err: 'redis is down' }),
      'could not publish alias-moved to Redis',
    );
    logged.mockRestore();
  });

  it('does not mark a passing move as forced even when force was asked', async () => {
    const { service } = setup(version(2, 0.85), version(1, 0.8));
    const move = await service.move(
      'churn',
      'production',
      { version: 2, reason: 'better', force: true },
      { id: 'user:a', isAdmin: true },
    );
    expect(move).toMatchObject({ forced: false, gate: { passed: true } });
  });
});
