import { Injectable } from '@nestjs/common';
import type { CellValue } from '../../ml';
import { MAX_PAGE_SIZE, PredictionReader, type LoggedAnswer, type Page, type Prediction } from '../../inference';
import { emptyAggregate } from '../buckets/bucket-aggregate';
import { countRequest } from '../buckets/bucket-counting';
import type { BucketPlan } from '../buckets/bucket-plan';
import type { BucketWindow, SummedBuckets } from '../buckets/monitoring-buckets.service';
import { VersionReferences } from './version-references';

/**
 * A window's aggregates recomputed from the raw prediction log instead of the buckets (audit, lost
 * buckets): each logged record is counted with the serving path's own countRequest, on the plan of
 * its version's bundle, so the same predictions give the same aggregate. Pages through the log
 * (PredictionReader.answers, MAX_PAGE_SIZE rows of only the version, features and output at a time),
 * asking for the next page before counting the current one, so PostgreSQL's work on the next overlaps
 * the counting: memory holds two pages and one aggregate per version whatever the window
 * (docs/benchmarks.md, "Monitoring windows"). A row counts when its time is in [from, to); a bucket when its minute
 * starts there: the two agree on minute-aligned windows. A sampled log (INFERENCE_LOG_SAMPLE_RATE
 * < 1) gives a sample's aggregate, an estimate of the window's.
 */
@Injectable()
export class LogAggregates {
  constructor(
    private readonly reader: PredictionReader,
    private readonly references: VersionReferences,
  ) {}

  /** Like MonitoringBuckets.sum, `buckets` 0: no bucket row is read. */
  async sum(window: BucketWindow): Promise<SummedBuckets[]> {
    const out = new Map<number, SummedBuckets & { plan: BucketPlan }>();
    const read = (after?: string) => {
      const next = this.reader.answers(window, { after, limit: MAX_PAGE_SIZE });
      next.catch(() => undefined); // awaited below; a rejection while the current page counts is not unhandled
      return next;
    };
    let pending: Promise<Page<LoggedAnswer>> | null = read();
    while (pending) {
      const page: Page<LoggedAnswer> = await pending;
      pending = page.next ? read(page.next) : null;
      for (const [version, records] of byVersion(page.items)) {
        let summed = out.get(version);
        if (!summed) {
          const { plan } = await this.references.get(window.model, version);
          summed = { model: window.model, version, buckets: 0, aggregate: emptyAggregate(plan), plan };
          out.set(version, summed);
        }
        countRequest(
          summed.aggregate,
          summed.plan,
          records.map((r) => r.features as Record<string, CellValue>),
          // The log keeps the answer (label and probabilities, or value): what counting reads of a Prediction.
          records.map((r) => r.output as unknown as Prediction),
        );
      }
    }
    return [...out.values()]
      .sort((a, b) => a.version - b.version)
      .map(({ model, version, buckets, aggregate }) => ({ model, version, buckets, aggregate }));
  }
}

function byVersion(items: LoggedAnswer[]): Map<number, LoggedAnswer[]> {
  const groups = new Map<number, LoggedAnswer[]>();
  for (const item of items) {
    const group = groups.get(item.version);
    if (group) group.push(item);
    else groups.set(item.version, [item]);
  }
  return groups;
}
