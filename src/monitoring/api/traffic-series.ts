import { Injectable } from '@nestjs/common';
import { ReplicaCounts } from '../alerts/counts/replica-counts';
import { MonitoringBuckets } from '../buckets/monitoring-buckets.service';
import { VersionReferences } from '../windows/version-references';
import type { TrafficPageDto, TrafficQueryDto } from './dto/traffic.dto';
import { MonitoringApi, READ_RANGE_DAYS } from './monitoring-api.service';
import { TRAFFIC_FIELDS, trafficPoints, trafficSlots, type TrafficFields } from './traffic-points';

const HOUR = 3_600_000;

/**
 * A model's traffic over time (GET /monitoring/models/{name}/traffic), pre-aggregated only: one
 * read of the buckets (whole hours from their roll-ups when the slots are whole hours; a few
 * fields of each payload) and one of monitoring.replica_counts, never the prediction log.
 */
@Injectable()
export class TrafficSeries {
  constructor(
    private readonly api: MonitoringApi,
    private readonly buckets: MonitoringBuckets,
    private readonly counts: ReplicaCounts,
    private readonly references: VersionReferences,
  ) {}

  async read(name: string, q: TrafficQueryDto): Promise<TrafficPageDto> {
    const range = this.api.range(q, HOUR, READ_RANGE_DAYS);
    await this.api.resolveVersion(name, {}); // 404 for an unknown model
    const to = range.to.getTime();
    const slots = trafficSlots(range.from.getTime(), to, q.points);
    const from = new Date(slots.start);
    const [rows, errors] = await Promise.all([
      this.buckets.rows<TrafficFields>(
        { model: name, from, to: range.to },
        { select: TRAFFIC_FIELDS, rollups: slots.slotMs % HOUR === 0 },
      ),
      this.counts.slots(['predictions_invalid', 'predictions_error'], name, from, range.to, slots.slotMs),
    ]);
    const versions = [...new Set(rows.map((r) => r.version))];
    const classNames = new Map<number, string[]>();
    await Promise.all(
      versions.map(async (v) => {
        // An unreadable bundle leaves its classes numbered rather than failing the read.
        const ref = await this.references.get(name, v).catch(() => null);
        if (ref) classNames.set(v, ref.plan.prediction.classes);
      }),
    );
    return {
      model: name,
      from: from.toISOString(),
      to: range.to.toISOString(),
      slotSeconds: slots.slotMs / 1000,
      points: trafficPoints(slots, to, rows, errors, classNames),
    };
  }
}
