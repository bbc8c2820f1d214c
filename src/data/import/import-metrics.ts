import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';

/** How an HTTP import ended: a new version, the same content as an existing one, or refused/failed. */
export type ImportEnd = 'succeeded' | 'duplicate' | 'failed';

/** From a small upload to a multi-gigabyte file. */
const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * The data module's families, recorded where an HTTP import ends (ImportJobsService): rows stored
 * and rows rejected by imports that made a version, and every import's duration by how it ended.
 * No dataset label: dataset names are the users', and one series per dataset would grow without bound.
 */
@Injectable()
export class ImportMetrics {
  private readonly rows: Counter;
  private readonly rejected: Counter;
  private readonly duration: Histogram<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.rows = new Counter({
      name: 'mlapi_import_rows_total',
      help: 'Rows stored by imports that made a dataset version',
      registers,
    });
    this.rejected = new Counter({
      name: 'mlapi_import_rejected_rows_total',
      help: 'Rows rejected (kept with their reasons, not stored) by imports that made a dataset version',
      registers,
    });
    this.duration = new Histogram({
      name: 'mlapi_import_duration_seconds',
      help: 'Time of an import from its upload being spooled to its end, by outcome (succeeded, duplicate, failed)',
      labelNames: ['outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
  }

  ended(outcome: ImportEnd, ms: number, stored = { rows: 0, rejected: 0 }): void {
    this.duration.observe({ outcome }, ms / 1000);
    if (outcome !== 'succeeded') return;
    this.rows.inc(stored.rows);
    this.rejected.inc(stored.rejected);
  }
}
