import { ApiTokensService } from '../../src/auth/services/api-tokens.service';
import type { CellValue } from '../../src/ml/schema';
import { loginAs, tokenFor } from './auth';
import { Http, type JsonResponse } from './http';
import { creditData, featuresOf, moveAlias, registerBundle, trainCreditBundle } from './model-fixtures';
import type { ShippedData } from './shipped-data';
import { startTestApp, type TestApp } from './test-app';

export const MODEL = 'credit';

/** What a prediction answered (its label and class probabilities). */
export interface Answer {
  label: string;
  probabilities: Record<string, number>;
}

/**
 * The app the inference e2e files share: `credit` v1 (alias production) and v2, trained on 600
 * rows of the shipped data, and v3, a bundle that cannot be loaded (alias broken); a consumer's
 * client; and every prediction answered through `predict`, so a file can check the log holds it.
 */
export class InferenceFixture {
  /** The answer of every prediction made through `predict`, by prediction id. */
  readonly answered = new Map<string, Answer>();
  /** The first record's features: a valid request body's content. */
  readonly features: Record<string, CellValue>;

  private constructor(
    readonly t: TestApp,
    readonly http: Http,
    readonly consumer: Http,
    readonly data: ShippedData,
    private readonly adminId: string,
  ) {
    this.features = featuresOf(data.records[0]);
  }

  static async start(): Promise<InferenceFixture> {
    const t = await startTestApp({
      INFERENCE_LOG_FLUSH_MS: '100',
      INFERENCE_LOG_BUFFER_MAX: '2500',
      INFERENCE_ALIAS_TTL_MS: '600000',
    });
    const http = new Http(t.baseUrl);
    const consumer = http.as(await tokenFor(t, 'consumer'));
    const adminId = (await loginAs(t, 'admin')).user.id;
    const data = creditData(600);
    const [a, b] = [await trainCreditBundle(data, 1), await trainCreditBundle(data, 2)];
    expect(await registerBundle(t.app, MODEL, a)).toBe(1);
    expect(await registerBundle(t.app, MODEL, b)).toBe(2);
    expect(await registerBundle(t.app, MODEL, Buffer.from('{"formatVersion": 99}'))).toBe(3);
    await moveAlias(t.app, MODEL, 'production', 1);
    await moveAlias(t.app, MODEL, 'broken', 3);
    return new InferenceFixture(t, http, consumer, data, adminId);
  }

  /** An API token with one scope, created by the admin. */
  async apiToken(scope: 'predict' | 'feedback'): Promise<string> {
    return (await this.t.app.get(ApiTokensService).create({ name: scope, scopes: [scope] }, this.adminId)).token;
  }

  /** POST /models/credit/predict (as the consumer unless told); answered predictions are kept. */
  async predict(body: unknown, query = '', as = this.consumer): Promise<JsonResponse> {
    const res = await as.post(`/models/${MODEL}/predict${query}`, body);
    if (res.status === 200)
      for (const p of res.body.predictions)
        this.answered.set(p.predictionId, { label: p.label, probabilities: p.probabilities });
    return res;
  }
}
