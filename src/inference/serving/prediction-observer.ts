import { Injectable, Logger } from '@nestjs/common';
import type { BundleMeta, CellValue } from '../../ml';
import type { Prediction } from './loaded-model';

/** One answered request as an observer sees it: the validated records and what the model answered. */
export interface ObservedRequest {
  model: string;
  version: number;
  /** The alias that served it (production, canary, shadow…), null when a version was asked for. */
  alias: string | null;
  /** When it was answered (ms since the epoch). */
  at: number;
  /**
   * How long it took, in ms, as the prediction log records it (from the request's arrival at the
   * service to its answer). PredictService always sets it; a request replayed without one (tests,
   * the log's recount) counts no latency.
   */
  latencyMs?: number;
  /** The version's bundle metadata: the same object for every request of one loaded version. */
  meta: BundleMeta;
  values: ReadonlyArray<Record<string, CellValue>>;
  outputs: ReadonlyArray<Prediction>;
}

/**
 * Port for "tell me about every answered prediction", called on the predict path where the
 * records go to the prediction log (whatever its sampling). Inference may not use monitoring, so
 * monitoring implements this class and the roles register it (src/roles/prediction-observer.wiring.ts).
 * `observe` runs inside the request: it must not wait, and should allocate little.
 */
export abstract class PredictionObserver {
  abstract observe(request: ObservedRequest): void;
}

const ERROR_LOG_MS = 60_000;

/** The registered observers; an observer that throws is logged (once a minute) and never fails a request. */
@Injectable()
export class PredictionObservers {
  private readonly logger = new Logger(PredictionObservers.name);
  private readonly observers: PredictionObserver[] = [];
  private lastErrorLog = 0;

  /** Idempotent, like DatasetUsageCheckers.register. */
  register(observer: PredictionObserver): void {
    if (!this.observers.includes(observer)) this.observers.push(observer);
  }

  observe(request: ObservedRequest): void {
    for (const o of this.observers) {
      try {
        o.observe(request);
      } catch (err) {
        const now = Date.now();
        if (now - this.lastErrorLog < ERROR_LOG_MS) continue;
        this.lastErrorLog = now;
        this.logger.error({ err: (err as Error).message, model: request.model }, 'prediction observer failed');
      }
    }
  }
}
