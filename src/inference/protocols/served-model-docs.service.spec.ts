import { Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { strict } from '../../../test/support/strict';
import { loadConfig } from '../../config/app-config';
import { EventsMissed, type EventBus, type EventChannel } from '../../events';
import { AliasMoved, type AliasHolders } from '../../registry';
import type { ModelSource } from '../serving/model-source';
import { ServedModelDocs } from './served-model-docs.service';

const BASE = {
  openapi: '3.0.0',
  info: { title: 'ML API', version: '1' },
  paths: { '/models/{name}/predict': { post: { responses: {} } } },
} as unknown as OpenAPIObject;

/** A bundle as parseBundle accepts it, without a network (it is parsed, never built here). */
const bundle = (feature: string) =>
  Buffer.from(
    JSON.stringify({
      formatVersion: 1,
      model: { modelTopology: {}, weightSpecs: [], weightData: '' },
      signature: { features: [{ name: feature, type: 'number', nullable: false }], target: { name: 'y' } },
      preprocessing: { features: [] },
      target: {},
      inputExample: { [feature]: 1 },
    }),
  );

function setUp() {
  const holders: AliasHolders = { models: 1, holders: 1, versions: [{ model: 'credit', version: 1 }] };
  const calls: string[] = [];
  let failing: Error | null = null;
  const source = strict<ModelSource>('ModelSource', {
    aliasHolders: async (alias: string, limit: number) => {
      calls.push(`aliasHolders(${alias}, ${limit})`);
      if (failing) throw failing;
      return structuredClone(holders);
    },
    bundle: async (model: string, version: number) => {
      calls.push(`bundle(${model}, ${version})`);
      return version === 9 ? Buffer.from('not json') : bundle(`f${version}`);
    },
  });
  const handlers = new Map<string, (payload: unknown) => void>();
  const bus = strict<EventBus>('EventBus', {
    subscribe: (channel: EventChannel<unknown>, handler: (payload: unknown) => void) => {
      handlers.set(channel.name, handler);
      return () => handlers.delete(channel.name);
    },
  });
  const docs = new ServedModelDocs(source, bus, loadConfig({ INFERENCE_ALIAS_TTL_MS: '600000' }));
  docs.onModuleInit();
  const moved = (alias: string, toVersion: number) => {
    holders.versions[0].version = toVersion;
    handlers.get(AliasMoved.name)!({ modelName: 'credit', alias, toVersion });
  };
  const fields = async () => Object.keys((await docs.parts(BASE)).schemas.CreditFeatures?.properties ?? {});
  return { docs, calls, handlers, moved, fields, fail: (err: Error | null) => (failing = err) };
}

describe('ServedModelDocs', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('builds once and answers every request from its cache', async () => {
    const { fields, calls } = setUp();
    expect(await fields()).toEqual(['f1']);
    expect(await fields()).toEqual(['f1']);
    expect(calls).toEqual(['aliasHolders(production, 25)', 'bundle(credit, 1)']);
  });

  it('builds again when the production alias moves or events were missed, reading each version once', async () => {
    const { fields, calls, moved, handlers } = setUp();
    await fields();
    moved('canary', 2);
    await fields();
    expect(calls).toHaveLength(2);
    moved('production', 2);
    expect(await fields()).toEqual(['f2']);
    moved('production', 1);
    expect(await fields()).toEqual(['f1']);
    handlers.get(EventsMissed.name)!(undefined);
    await fields();
    expect(calls.filter((c) => c.startsWith('bundle'))).toEqual(['bundle(credit, 1)', 'bundle(credit, 2)']);
    expect(calls.filter((c) => c.startsWith('aliasHolders'))).toHaveLength(4);
  });

  it('does not keep a build that started before a move', async () => {
    const { docs, fields, moved } = setUp();
    const before = docs.parts(BASE);
    moved('production', 2);
    await before;
    expect(await fields()).toEqual(['f2']);
  });

  it('leaves out a version whose bundle cannot be read, and says why', async () => {
    const { docs, moved } = setUp();
    moved('production', 9);
    const parts = await docs.parts(BASE);
    expect(parts.schemas).toEqual({});
    expect(parts.note).toContain('credit v9 (the bundle is not valid JSON)');
  });

  it('answers what it last knew when the registry cannot be read, and tries again at the next request', async () => {
    const { docs, fields, moved, fail, calls } = setUp();
    await fields();
    fail(new Error('connect ECONNREFUSED'));
    moved('production', 2);
    const parts = await docs.parts(BASE);
    expect(Object.keys(parts.schemas)).toEqual(['CreditFeatures', 'CreditPredictRequest']);
    expect(parts.note).toMatch(/could not be read from the registry/);
    fail(null);
    expect(await fields()).toEqual(['f2']);
    expect(calls.filter((c) => c.startsWith('aliasHolders'))).toHaveLength(3);
  });

  it('stops listening when the module is destroyed', () => {
    const { docs, handlers } = setUp();
    docs.onModuleDestroy();
    expect(handlers.size).toBe(0);
  });
});
