import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** What the HTTP replicas count into monitoring.replica_counts (per model; `log_dropped` for the service). */
export const COUNTERS = ['predictions_ok', 'predictions_invalid', 'predictions_error', 'log_dropped'] as const;
export type CounterName = (typeof COUNTERS)[number];

export interface CountDelta {
  counter: CounterName;
  /** '' for a service-wide counter. */
  model: string;
  value: number;
}

/**
 * Per-minute counts that every HTTP replica adds to (`monitoring.replica_counts`), so a worker
 * reads cluster-wide figures that otherwise live in each replica's memory (its Prometheus counters).
 */
@Injectable()
export class ReplicaCounts {
  constructor(@InjectDataSource() private readonly ds: DataSource) {}

  /** Adds one replica's deltas to the minute they were taken in. */
  async add(replica: string, minute: Date, deltas: CountDelta[]): Promise<void> {
    if (!deltas.length) return;
    const params: unknown[] = [minute, replica];
    const rows = deltas.map(
      (d) =>
        `(date_trunc('minute', $1::timestamptz), $2, $${params.push(d.counter)}, $${params.push(d.model)}, $${params.push(d.value)})`,
    );
    await this.ds.query(
      `INSERT INTO monitoring.replica_counts (minute, replica, counter, model, value) VALUES ${rows.join(', ')}
       ON CONFLICT (counter, minute, model, replica) DO UPDATE SET value = replica_counts.value + excluded.value`,
      params,
    );
  }

  /**
   * Each model's sum of the counters over the minutes that start in `[from, to)` (`from` rounded
   * down to its minute), across replicas; `model` null: every model ('' for service counters).
   */
  async sums(
    counters: CounterName[],
    model: string | null,
    from: Date,
    to: Date,
  ): Promise<Map<string, Map<CounterName, number>>> {
    const params: unknown[] = [counters, from, to];
    const byModel = model === null ? '' : `AND model = $${params.push(model)}`;
    const rows = await this.ds.query<{ model: string; counter: CounterName; total: string }[]>(
      `SELECT model, counter, sum(value)::text AS total FROM monitoring.replica_counts
       WHERE counter = ANY($1) AND minute >= date_trunc('minute', $2::timestamptz) AND minute < $3 ${byModel}
       GROUP BY model, counter`,
      params,
    );
    const out = new Map<string, Map<CounterName, number>>();
    for (const r of rows) {
      const counts = out.get(r.model) ?? new Map<CounterName, number>();
      counts.set(r.counter, Number(r.total));
      out.set(r.model, counts);
    }
    return out;
  }

  /**
   * One model's sum of the counters per slot: minutes in `[start, to)` cut in slots of `slotMs`
   * from `start` (a whole minute), keyed by slot index; slots without counts are absent.
   */
  async slots(
    counters: CounterName[],
    model: string,
    start: Date,
    to: Date,
    slotMs: number,
  ): Promise<Map<number, number>> {
    const rows = await this.ds.query<{ slot: number; total: number }[]>(
      `SELECT floor((extract(epoch FROM minute) * 1000 - $4) / $5)::int AS slot, sum(value)::float8 AS total
       FROM monitoring.replica_counts
       WHERE counter = ANY($1) AND model = $2 AND minute >= $3 AND minute < $6
       GROUP BY 1`,
      [counters, model, start, start.getTime(), slotMs, to],
    );
    return new Map(rows.map((r) => [r.slot, r.total]));
  }
}
