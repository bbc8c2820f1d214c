import { Logger } from '@nestjs/common';
import { FakeModelCache } from '../../../test/support/fake-model-cache';
import { failure, refusal, statusOf } from '../../../test/support/failures';
import { CREDIT, MEDIAN, scriptedModel } from '../../../test/support/scripted-model';
import { strict } from '../../../test/support/strict';
import { DomainError } from '../../common/errors/domain-error';
import { InferenceError, InferenceErrorCode, invalidBody } from '../inference.errors';
import { loadConfig } from '../../config/app-config';
import type { InferenceMetrics, Outcome, Protocol } from '../inference-metrics';
import type { AnsweredRequest } from '../prediction-log/log-rows';
import type { PredictionLog } from '../prediction-log/prediction-log.service';
import { MAX_EXPLAIN_RECORDS } from './explain-output';
import { PredictService, type ScoreRequest } from './predict.service';
import { PredictionObservers, type ObservedRequest } from './prediction-observer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Scores of the scripted models (test/support/scripted-model.ts): Age/100, +0.2 for Home=owner, + bias.
const A = { Age: 30, Income: 50, Home: 'rent' }; // 0.3: bad
const B = { Age: 45, Home: 'owner' }; // 0.65: good; Income absent, so null
const C = { Age: 60, Home: 'parents' }; // 0.6: good; a Home the model never saw
const odds = (good: number) => ({ bad: expect.closeTo(1 - good, 10), good: expect.closeTo(good, 10) });

/** credit v1 (production), v2 (staging), v5 (broken: its network fails); fraud v1 (production). */
function models(): FakeModelCache {
  return new FakeModelCache()
    .add(scriptedModel({ version: 1 }), 'production')
    .add(scriptedModel({ version: 2, bias: 0.01 }), 'staging')
    .add(scriptedModel({ version: 5, fails: new Error('the network failed') }), 'broken')
    .add(scriptedModel({ model: 'fraud', version: 1 }), 'production');
}

function setup(env: Record<string, string> = {}, cache = models()) {
  const logged: AnsweredRequest[] = [];
  const log = strict<PredictionLog>('log', { append: (answered: AnsweredRequest) => void logged.push(answered) });
  const predicted: [string, number, string | null, Outcome, number][] = [];
  const timed: [string, Protocol, Outcome][] = [];
  const unknownCategories: [string, string][] = [];
  const metrics = strict<InferenceMetrics>('metrics', {
    predicted: (model: string, version: number, alias: string | null, outcome: Outcome, records: number) =>
      void predicted.push([model, version, alias, outcome, records]),
    requestTime: (
      model: string,
      _version: number,
      _alias: string | null,
      protocol: Protocol,
      outcome: Outcome,
      seconds: number,
    ) => {
      if (!(seconds >= 0)) throw new Error(`request time ${seconds} s`);
      timed.push([model, protocol, outcome]);
    },
    unknownCategory: (model: string, feature: string) => void unknownCategories.push([model, feature]),
  });
  const observed: ObservedRequest[] = [];
  const observers = new PredictionObservers();
  observers.register({ observe: (r: ObservedRequest) => void observed.push(r) });
  const service = new PredictService(cache.asCache(), log, loadConfig(env), metrics, observers);
  return { service, cache, logged, observed, predicted, timed, unknownCategories };
}

const request = (over: Partial<ScoreRequest> = {}): ScoreRequest => ({
  model: 'credit',
  ref: {},
  input: { records: [A], form: 'features' },
  caller: 'user:ann',
  protocol: 'predict',
  ...over,
});

/** Lets work scheduled off the response path (the shadow) run to its end: one turn, as scripted models answer at once. */
const afterResponse = () => new Promise((resolve) => setImmediate(resolve));

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

describe('PredictService: answers', () => {
  it('answers a single record with a prediction id, the version and the alias that answered', async () => {
    const { service } = setup();
    const answer = await service.predict('credit', {}, { features: A }, 'user:ann');
    expect(answer).toEqual({
      model: 'credit',
      version: 1,
      alias: 'production',
      predictions: [
        {
          predictionId: expect.stringMatching(UUID),
          label: 'bad',
          probabilities: odds(0.3),
          unknownCategories: [],
          model: 'credit',
          version: 1,
          alias: 'production',
        },
      ],
    });
  });

  it('answers an explicit version with alias null, and another alias under its name', async () => {
    const { service } = setup();
    expect(await service.predict('credit', { version: 2 }, { features: A }, 'user:ann')).toMatchObject({
      version: 2,
      alias: null,
      predictions: [{ version: 2, alias: null }],
    });
    expect(await service.predict('credit', { alias: 'staging' }, { features: A }, 'user:ann')).toMatchObject({
      version: 2,
      alias: 'staging',
      predictions: [{ alias: 'staging' }],
    });
  });

  it('answers a batch in order, one distinct id per record, naming unknown categories per record', async () => {
    const { service, unknownCategories } = setup();
    const { predictions } = await service.predict('credit', {}, { instances: [A, B, C] }, 'user:ann');
    expect(predictions.map((p) => [p.label, p.probabilities, p.unknownCategories])).toEqual([
      ['bad', odds(0.3), []],
      ['good', odds(0.65), []],
      ['good', odds(0.6), ['Home']],
    ]);
    expect(predictions.every((p) => UUID.test(p.predictionId))).toBe(true);
    expect(new Set(predictions.map((p) => p.predictionId)).size).toBe(3);
    expect(unknownCategories).toEqual([['credit', 'Home']]);
  });
});

describe('PredictService: invalid input', () => {
  it('refuses a batch with any bad record: 422, one detail per field naming record and field', async () => {
    const { service, logged } = setup();
    const err = await refusal(
      service.predict(
        'credit',
        {},
        { instances: [A, { Age: 'old', Home: 'rent', Debt: 1 }, { Home: 'owner' }, 'x'] },
        'user:ann',
      ),
    );
    expect(err.status).toBe(422);
    expect(err.message).toBe('Invalid input for model credit version 1');
    expect(err.details).toEqual([
      {
        field: 'instances[1].Debt',
        message: 'not a feature of this model',
        code: 'unknown_feature',
        index: 1,
        feature: 'Debt',
      },
      {
        field: 'instances[1].Age',
        message: 'expected a number, got a string',
        code: 'invalid',
        index: 1,
        feature: 'Age',
      },
      { field: 'instances[2].Age', message: expect.any(String), code: 'missing', index: 2, feature: 'Age' },
      {
        field: 'instances[3]',
        message: 'a record must be a JSON object',
        code: 'not_an_object',
        index: 3,
        feature: null,
      },
    ]);
    expect(logged).toEqual([]);
  });

  it('names the field of a single record features.<name>, and a protocol names its own', async () => {
    const { service } = setup();
    const single = await refusal(service.predict('credit', {}, { features: { Age: -1.5 } }, 'user:ann'));
    expect(single.details).toEqual([
      { field: 'features.Age', message: expect.any(String), code: 'invalid', index: 0, feature: 'Age' },
    ]);
    const field = (i: number, feature: string) => `inputs[${feature}].data[${i}]`;
    const v2 = await refusal(
      service.score(request({ input: { records: [A, { Age: 'x' }], form: 'instances', field }, protocol: 'v2' })),
    );
    expect(v2.details).toMatchObject([{ field: 'inputs[Age].data[1]', index: 1, feature: 'Age' }]);
  });

  it('reads a protocol body with the signature of the version that answers', async () => {
    const { service } = setup();
    const seen: string[][] = [];
    const input = (signature: typeof CREDIT) => (
      seen.push(signature.features.map((f) => f.name)),
      { records: [A], form: 'instances' as const }
    );
    expect(await service.score(request({ input, protocol: 'v2' }))).toMatchObject({
      version: 1,
      predictions: [{ label: 'bad' }],
    });
    expect(seen).toEqual([['Age', 'Income', 'Home']]);
  });

  it('refuses a malformed or oversized body before any model lookup', async () => {
    const { service, cache, predicted } = setup({ INFERENCE_MAX_BATCH: '2' });
    expect((await refusal(service.predict('credit', {}, { instances: [] }, 'user:ann'))).status).toBe(422);
    expect((await refusal(service.predict('credit', {}, { features: A, extra: 1 }, 'user:ann'))).status).toBe(422);
    expect((await refusal(service.predict('credit', {}, { instances: [A, B, C] }, 'user:ann'))).status).toBe(413);
    expect(cache.calls).toEqual([]);
    expect(predicted).toEqual([]);
  });
});

describe('PredictService: leases', () => {
  const failures: [string, (s: PredictService) => Promise<unknown>, number][] = [
    ['an invalid record', (s) => s.predict('credit', {}, { features: { Age: 'x' } }, 'user:ann'), 422],
    ['a failing model', (s) => s.predict('credit', { alias: 'broken' }, { features: A }, 'user:ann'), 500],
    [
      'a failing explanation',
      (s) =>
        s.score(request(), () => {
          throw new Error('explain failed');
        }),
      500,
    ],
    [
      'a body its protocol cannot read',
      (s) =>
        s.score(
          request({
            input: () => {
              throw invalidBody('bad tensor', []);
            },
          }),
        ),
      422,
    ],
  ];

  it('releases the lease of an answered request', async () => {
    const { service, cache } = setup();
    await service.predict('credit', {}, { instances: [A, B] }, 'user:ann');
    expect([cache.acquired, cache.released]).toEqual([1, 1]);
  });

  it.each(failures)('releases the lease after %s', async (_, call, status) => {
    const { service, cache } = setup();
    const err = await failure(call(service));
    expect(err instanceof DomainError ? statusOf(err) : 500).toBe(status);
    expect([cache.acquired, cache.released]).toEqual([1, 1]);
  });

  it('holds nothing when the model does not exist (404)', async () => {
    const { service, cache } = setup();
    expect((await refusal(service.predict('nope', {}, { features: A }, 'user:ann'))).status).toBe(404);
    expect(cache.calls).toEqual(['acquire nope@production']);
    expect(cache.acquired).toBe(0);
  });
});

describe('PredictService: the prediction log', () => {
  it('logs one row per record with the model, version, alias and caller that answered', async () => {
    const { service, logged } = setup();
    const { predictions } = await service.predict('credit', { alias: 'staging' }, { instances: [A, B] }, 'token:abc');
    expect(logged).toEqual([
      {
        createdAt: expect.any(Number),
        model: 'credit',
        version: 2,
        alias: 'staging',
        caller: 'token:abc',
        latencyMs: expect.any(Number),
        records: [
          {
            id: predictions[0].predictionId,
            features: { Age: 30, Income: 50, Home: 'rent' },
            output: { label: 'bad', probabilities: odds(0.31) },
          },
          {
            id: predictions[1].predictionId,
            features: { Age: 45, Income: null, Home: 'owner' },
            output: { label: 'good', probabilities: odds(0.66) },
          },
        ],
      },
    ]);
  });

  it.each([
    ['invalid', { features: { Age: 'x' } }, {}, 'credit'],
    ['the model failed', { features: A }, { alias: 'broken' }, 'credit'],
    ['unknown model', { features: A }, {}, 'nope'],
    ['malformed body', { instances: [] }, {}, 'credit'],
  ])('logs nothing for a request not answered (%s)', async (_, body, ref, model) => {
    const { service, logged } = setup();
    await failure(service.predict(model, ref, body, 'user:ann'));
    expect(logged).toEqual([]);
  });

  it('logs nothing with INFERENCE_LOG_ENABLED=false, and still answers', async () => {
    const { service, logged } = setup({ INFERENCE_LOG_ENABLED: 'false' });
    expect(await service.predict('credit', {}, { features: A }, 'user:ann')).toMatchObject({
      version: 1,
      predictions: [{ label: 'bad' }],
    });
    expect(logged).toEqual([]);
  });
});

describe('PredictService: observers and log sampling', () => {
  it('tells the observers of every answered request, with the version, alias, values and outputs', async () => {
    const { service, observed } = setup();
    await service.predict('credit', {}, { instances: [A, B] }, 'user:ann');
    expect(observed).toHaveLength(1);
    expect(observed[0]).toMatchObject({
      model: 'credit',
      version: 1,
      alias: 'production',
      values: [A, { ...B, Income: null }],
    });
    expect(observed[0].outputs.map((o) => o.label)).toEqual(['bad', 'good']);
    expect(observed[0].meta.signature.target.name).toBe('Status');
  });

  it('observes nothing for a refused request', async () => {
    const { service, observed } = setup();
    await failure(service.predict('credit', {}, { features: { Age: 'x' } }, 'user:ann'));
    expect(observed).toEqual([]);
  });

  it('logs each prediction with probability INFERENCE_LOG_SAMPLE_RATE; the observers still see every one', async () => {
    const { service, logged, observed } = setup({ INFERENCE_LOG_SAMPLE_RATE: '0.5' });
    const draws = [0.2, 0.7, 0.49];
    jest.spyOn(Math, 'random').mockImplementation(() => draws.shift()!);
    const answer = await service.predict('credit', {}, { instances: [A, B, C] }, 'user:ann');
    expect(logged).toHaveLength(1);
    const ids = answer.predictions.map((p) => p.predictionId);
    expect(logged[0].records.map((r) => r.id)).toEqual([ids[0], ids[2]]);
    expect(observed[0].values).toHaveLength(3);
  });

  it('logs nothing at rate 0 and observes every prediction with the log off', async () => {
    const envs: Record<string, string>[] = [{ INFERENCE_LOG_SAMPLE_RATE: '0' }, { INFERENCE_LOG_ENABLED: 'false' }];
    for (const env of envs) {
      const { service, logged, observed } = setup(env);
      await service.predict('credit', {}, { instances: [A, B] }, 'user:ann');
      expect(logged).toEqual([]);
      expect(observed[0].values).toHaveLength(2);
    }
  });

  it('an observer that throws fails no request', async () => {
    const { service, cache } = setup();
    const observers = new PredictionObservers();
    observers.register({
      observe: () => {
        throw new Error('observer bug');
      },
    });
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const log = strict<PredictionLog>('log', { append: () => undefined });
    const metrics = (service as unknown as { metrics: InferenceMetrics }).metrics;
    const other = new PredictService(cache.asCache(), log, loadConfig({}), metrics, observers);
    expect((await other.predict('credit', {}, { features: A }, 'user:ann')).predictions).toHaveLength(1);
    expect(error).toHaveBeenCalledTimes(1);
  });
});

describe('PredictService: canary', () => {
  const withCanary = (spec: string) =>
    setup({ INFERENCE_CANARY: spec }, models().add(scriptedModel({ version: 3, bias: 0.4 }), 'canary'));

  it('answers production traffic, implied or named, from the canary for its share of draws', async () => {
    const { service, logged } = withCanary('credit=0.5');
    const draw = jest.spyOn(Math, 'random');
    draw.mockReturnValue(0.49);
    expect(await service.predict('credit', {}, { features: A }, 'user:ann')).toMatchObject({
      version: 3,
      alias: 'canary',
      predictions: [{ label: 'good', probabilities: odds(0.7) }],
    });
    expect(await service.predict('credit', { alias: 'production' }, { features: A }, 'user:ann')).toMatchObject({
      version: 3,
      alias: 'canary',
    });
    draw.mockReturnValue(0.5);
    expect(await service.predict('credit', {}, { features: A }, 'user:ann')).toMatchObject({
      version: 1,
      alias: 'production',
    });
    expect(logged.map((r) => [r.version, r.alias])).toEqual([
      [3, 'canary'],
      [3, 'canary'],
      [1, 'production'],
    ]);
  });

  it('keeps each caller on one side when sticky, without a draw', async () => {
    const { service, cache } = withCanary('credit=0.5:sticky');
    jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('a sticky canary must not draw');
    });
    const sides = new Map<string, Set<string | null>>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 40; i++) {
        const caller = `user:${i}`;
        const { alias } = await service.predict('credit', {}, { features: A }, caller);
        sides.set(caller, (sides.get(caller) ?? new Set()).add(alias));
      }
    }
    expect([...sides.values()].every((s) => s.size === 1)).toBe(true);
    // 40 callers hashed to one side only would be a broken hash (2^-39 for a fair one).
    expect(new Set([...sides.values()].map((s) => [...s][0]))).toEqual(new Set(['canary', 'production']));
    expect(cache.outstanding).toBe(0);
  });

  it('never redirects an explicit version or another alias', async () => {
    const { service, cache } = withCanary('credit=1');
    expect(await service.predict('credit', { version: 1 }, { features: A }, 'user:ann')).toMatchObject({
      version: 1,
      alias: null,
    });
    expect(await service.predict('credit', { alias: 'staging' }, { features: A }, 'user:ann')).toMatchObject({
      version: 2,
      alias: 'staging',
    });
    expect(cache.calls).toEqual(['acquire credit@v1', 'acquire credit@staging']);
  });

  it('answers from production while the canary alias does not exist, and leaves models without a rule alone', async () => {
    const { service, cache } = setup({ INFERENCE_CANARY: 'credit=1' });
    expect(await service.predict('credit', {}, { features: A }, 'user:ann')).toMatchObject({
      version: 1,
      alias: 'production',
    });
    expect(await service.predict('fraud', {}, { features: A }, 'user:ann')).toMatchObject({
      model: 'fraud',
      version: 1,
      alias: 'production',
    });
    expect(cache.calls).toEqual(['tryAcquire credit@canary', 'acquire credit@production', 'acquire fraud@production']);
  });
});

describe('PredictService: shadow', () => {
  /** The shadow version answers differently (bias -0.2), and its failures are set per test. */
  const withShadow = (shadow = scriptedModel({ version: 4, bias: -0.2 }), cache = models().add(shadow, 'shadow')) =>
    setup({ INFERENCE_SHADOW: 'credit' }, cache);

  it('scores the same records with the shadow alias after the answer: logged as shadow, never returned', async () => {
    const { service, cache, logged, predicted } = withShadow();
    const answer = await service.predict('credit', {}, { instances: [A, B] }, 'token:abc');
    expect(answer).toMatchObject({
      version: 1,
      alias: 'production',
      predictions: [
        { label: 'bad', probabilities: odds(0.3) },
        { label: 'good', probabilities: odds(0.65) },
      ],
    });
    // Answered before the shadow ran.
    expect(logged.map((r) => r.alias)).toEqual(['production']);
    expect(cache.calls).toEqual(['acquire credit@production']);
    await afterResponse();
    expect(cache.calls).toEqual(['acquire credit@production', 'tryAcquire credit@shadow']);
    expect(logged[1]).toEqual({
      createdAt: expect.any(Number),
      model: 'credit',
      version: 4,
      alias: 'shadow',
      caller: 'token:abc',
      latencyMs: expect.any(Number),
      records: [
        {
          id: expect.stringMatching(UUID),
          features: { Age: 30, Income: 50, Home: 'rent' },
          output: { label: 'bad', probabilities: odds(0.1) },
          shadowOf: answer.predictions[0].predictionId,
        },
        {
          id: expect.stringMatching(UUID),
          features: { Age: 45, Income: null, Home: 'owner' },
          output: { label: 'bad', probabilities: odds(0.45) },
          shadowOf: answer.predictions[1].predictionId,
        },
      ],
    });
    const answered = new Set(answer.predictions.map((p) => p.predictionId));
    expect(logged[1].records.some((r) => answered.has(r.id))).toBe(false);
    expect(predicted).toEqual([
      ['credit', 1, 'production', 'ok', 2],
      ['credit', 4, 'shadow', 'ok', 2],
    ]);
    expect([cache.acquired, cache.released]).toEqual([2, 2]);
    expect(warn).not.toHaveBeenCalled();
  });

  const needsDebt = {
    ...CREDIT,
    features: [...CREDIT.features, { name: 'Debt', type: 'number' as const, nullable: false }],
  };
  it.each([
    [
      'refuses the records (its own signature)',
      () => withShadow(scriptedModel({ version: 4, signature: needsDebt })),
      ['credit', 4, 'shadow', 'invalid', 1],
    ],
    [
      'fails to predict',
      () => withShadow(scriptedModel({ version: 4, fails: new Error('shadow network failed') })),
      ['credit', 4, 'shadow', 'error', 1],
    ],
    [
      'cannot be loaded (503)',
      () =>
        withShadow(
          undefined,
          models().fail(
            'credit',
            'shadow',
            new InferenceError(InferenceErrorCode.MODEL_UNLOADABLE, 'cannot be loaded'),
          ),
        ),
      undefined,
    ],
  ])('answers as without a shadow when the shadow %s', async (_, make, counted) => {
    const { service, cache, logged, predicted } = make();
    const answer = await service.predict('credit', {}, { features: A }, 'user:ann');
    await afterResponse();
    expect(answer).toMatchObject({
      version: 1,
      alias: 'production',
      predictions: [{ label: 'bad', probabilities: odds(0.3) }],
    });
    expect(logged.map((r) => r.alias)).toEqual(['production']);
    expect(predicted).toEqual([['credit', 1, 'production', 'ok', 1], ...(counted ? [counted] : [])]);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ model: 'credit' }), 'shadow prediction failed');
    expect(cache.outstanding).toBe(0);
  });

  it('shadows no request the shadow answered, no refused request and no model not configured', async () => {
    const { service, cache } = withShadow();
    await service.predict('credit', { alias: 'shadow' }, { features: A }, 'user:ann');
    await refusal(service.predict('credit', {}, { features: { Age: 'x' } }, 'user:ann'));
    await service.predict('fraud', {}, { features: A }, 'user:ann');
    await afterResponse();
    expect(cache.calls).toEqual(['acquire credit@shadow', 'acquire credit@production', 'acquire fraud@production']);
    expect(cache.outstanding).toBe(0);
  });
});

describe('PredictService: metrics', () => {
  it('counts answered records as ok by version and alias, and the request time by protocol', async () => {
    const { service, predicted, timed } = setup();
    await service.predict('credit', {}, { instances: [A, B] }, 'user:ann');
    await service.score(request({ ref: { version: 2 }, protocol: 'mlflow' }));
    expect(predicted).toEqual([
      ['credit', 1, 'production', 'ok', 2],
      ['credit', 2, null, 'ok', 1],
    ]);
    expect(timed).toEqual([
      ['credit', 'predict', 'ok'],
      ['credit', 'mlflow', 'ok'],
    ]);
  });

  it('counts refused records as invalid and records the model failed on as error', async () => {
    const { service, predicted, timed } = setup();
    await refusal(service.predict('credit', {}, { instances: [A, { Age: 'x' }, B] }, 'user:ann'));
    await expect(
      service.score(
        request({ ref: { alias: 'broken' }, input: { records: [A, B], form: 'instances' }, protocol: 'v2' }),
      ),
    ).rejects.toThrow('the network failed');
    await refusal(
      service.score(
        request({
          input: () => {
            throw invalidBody('bad tensor', []);
          },
          protocol: 'v2',
        }),
      ),
    );
    expect(predicted).toEqual([
      ['credit', 1, 'production', 'invalid', 3],
      ['credit', 5, 'broken', 'error', 2],
      ['credit', 1, 'production', 'invalid', 0],
    ]);
    expect(timed).toEqual([
      ['credit', 'predict', 'invalid'],
      ['credit', 'v2', 'error'],
      ['credit', 'v2', 'invalid'],
    ]);
  });

  it('counts nothing for a request refused before a version answered (unknown model)', async () => {
    const { service, predicted, timed } = setup();
    await refusal(service.predict('nope', {}, { features: A }, 'user:ann'));
    expect([predicted, timed]).toEqual([[], []]);
  });
});

describe('PredictService: explanations', () => {
  it('explains each record against the training reference, and logs the answer without it', async () => {
    const { service, logged } = setup();
    const answer = await service.predict('credit', {}, { instances: [A, B] }, 'user:ann', true);
    // Reference: the median of numbers, the first known category (no reference profile).
    expect(answer.explanationReference).toEqual({ Age: MEDIAN, Income: MEDIAN, Home: 'owner' });
    const close = (n: number) => expect.closeTo(n, 10);
    expect(answer.predictions.map((p) => p.explanation)).toEqual([
      {
        output: 'probability:good',
        value: close(0.3),
        baseline: close(0.6),
        contributions: { Age: close(-0.1), Income: close(0), Home: close(-0.2) },
        residual: close(0),
      },
      {
        output: 'probability:good',
        value: close(0.65),
        baseline: close(0.6),
        contributions: { Age: close(0.05), Income: close(0), Home: close(0) },
        residual: close(0),
      },
    ]);
    expect(answer.predictions[0]).toMatchObject({ label: 'bad', version: 1, alias: 'production' });
    expect(logged[0].records.map((r) => Object.keys(r.output))).toEqual([
      ['label', 'probabilities'],
      ['label', 'probabilities'],
    ]);
  });

  it(`explains up to ${MAX_EXPLAIN_RECORDS} records, and refuses more before any model lookup (413)`, async () => {
    const { service, cache, logged, predicted } = setup();
    const records = (n: number) => Array.from({ length: n }, (_, i) => ({ Age: i % 80 }));
    expect(
      (await service.predict('credit', {}, { instances: records(MAX_EXPLAIN_RECORDS) }, 'user:ann', true)).predictions,
    ).toHaveLength(MAX_EXPLAIN_RECORDS);
    const err = await refusal(
      service.predict('credit', {}, { instances: records(MAX_EXPLAIN_RECORDS + 1) }, 'user:ann', true),
    );
    expect(err.status).toBe(413);
    expect(err.details).toEqual([
      { field: 'explain', message: `at most ${MAX_EXPLAIN_RECORDS} records when explaining` },
    ]);
    expect(cache.calls).toEqual(['acquire credit@production']);
    expect([logged.length, predicted.length]).toEqual([1, 1]);
  });
});
