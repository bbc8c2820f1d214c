import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { Dependency } from '../common/errors/common.errors';
import { AppConfig } from '../config/app-config';
import { withTimeout } from '../common/with-timeout';
import { RedisService } from '../redis/redis.service';

export interface DependencyState {
  status: 'up' | 'down';
  /** When it last changed (the start of an outage, or of the recovery). */
  since: string;
  /** Why the last check failed, while it is down. */
  message?: string;
}

const DEPENDENCIES: Dependency[] = ['PostgreSQL', 'Redis'];

/**
 * Checks PostgreSQL and Redis in the background (each check bounded) and keeps the last answer, so
 * that readiness and `/health` answer at once whatever the state: a dependency down degrades the
 * replica without making it unready (it may still serve from memory). Each change is logged
 * (warn down, info back) and `mlapi_dependency_up{dependency}` reports it to Prometheus.
 */
@Injectable()
export class DependencyMonitor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DependencyMonitor.name);
  private readonly states = new Map<Dependency, DependencyState>();
  private readonly gauge: Gauge<'dependency'>;
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly redis: RedisService,
    private readonly config: AppConfig,
    registry: Registry,
  ) {
    this.gauge = new Gauge({
      name: 'mlapi_dependency_up',
      help: 'Whether this process reaches the dependency (1) or not (0), as of its last background check',
      labelNames: ['dependency'],
      registers: [registry],
    });
  }

  async onModuleInit(): Promise<void> {
    await this.checkAll();
    this.timer = setInterval(() => void this.checkAll(), this.config.env.DEPENDENCY_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The last known state of each dependency. */
  snapshot(): Record<Dependency, DependencyState> {
    return Object.fromEntries(DEPENDENCIES.map((d) => [d, this.state(d)])) as Record<Dependency, DependencyState>;
  }

  isUp(dependency: Dependency): boolean {
    return this.state(dependency).status === 'up';
  }

  private state(dependency: Dependency): DependencyState {
    return (
      this.states.get(dependency) ?? { status: 'down', since: new Date(0).toISOString(), message: 'not checked yet' }
    );
  }

  /** One round of checks at a time: a slow one does not pile up behind the interval. */
  private checkAll(): Promise<void> {
    this.checking ??= Promise.all([
      this.check('PostgreSQL', () => this.dataSource.query('SELECT 1')),
      this.check('Redis', () => this.redis.ping()),
    ])
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(dependency: Dependency, probe: () => Promise<unknown>): Promise<void> {
    let failure: string | undefined;
    try {
      await withTimeout(probe(), this.config.env.DEPENDENCY_CHECK_TIMEOUT_MS);
    } catch (err) {
      failure = (err as Error).message;
    }
    this.record(dependency, failure);
  }

  private record(dependency: Dependency, failure: string | undefined): void {
    const before = this.states.get(dependency);
    const status = failure === undefined ? 'up' : 'down';
    this.gauge.set({ dependency }, status === 'up' ? 1 : 0);
    if (before?.status === status) {
      if (failure !== undefined) before.message = failure;
      return;
    }
    this.states.set(dependency, { status, since: new Date().toISOString(), ...(failure ? { message: failure } : {}) });
    if (status === 'down') this.logger.warn({ dependency, err: failure }, `${dependency} is unreachable`);
    else if (before) this.logger.log({ dependency, downSince: before.since }, `${dependency} is reachable again`);
  }
}
