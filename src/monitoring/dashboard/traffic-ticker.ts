import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Registry } from 'prom-client';
import { AppConfig } from '../../config/app-config';
import { EventBus } from '../../events';
import { DashboardStream } from './dashboard-stream.service';
import { LATENCY_FAMILY, snapshots, trafficBetween, type HistogramSnapshot } from './traffic-delta';
import { TrafficTick, type TrafficTickEvent } from './traffic-tick.event';

/**
 * Every HTTP replica publishes its predict traffic of the last DASHBOARD_TRAFFIC_TICK_MS as a
 * TrafficTick, when it served some: read from the process's own latency histogram (as
 * ReplicaCountsRecorder reads the counters), so the predict path does no more work.
 */
@Injectable()
export class TrafficTicker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TrafficTicker.name);
  private before = new Map<string, HistogramSnapshot>();
  private last = Date.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: Registry,
    private readonly events: EventBus,
    private readonly config: AppConfig,
    private readonly stream: DashboardStream,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // What was served before start (none, usually) is no interval's traffic.
    this.before = await this.read();
    this.last = Date.now();
    this.timer = setInterval(() => void this.tick(), this.config.env.DASHBOARD_TRAFFIC_TICK_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Publishes the traffic since the last tick; returns what it published (null when nothing was served). */
  async tick(now = Date.now()): Promise<TrafficTickEvent | null> {
    const current = await this.read();
    const models = trafficBetween(this.before, current);
    const intervalMs = now - this.last;
    this.before = current;
    this.last = now;
    if (!models.length) return null;
    const event = { replica: this.stream.replica, at: new Date(now).toISOString(), intervalMs, models };
    await this.events.publish(TrafficTick, event).catch((err: unknown) => {
      this.logger.debug({ err: (err as Error).message }, 'traffic tick not sent to the other replicas');
    });
    return event;
  }

  private async read(): Promise<Map<string, HistogramSnapshot>> {
    const family = await this.registry.getSingleMetric(LATENCY_FAMILY)?.get();
    return snapshots(family?.values ?? []);
  }
}
