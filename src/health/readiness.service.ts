import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MIGRATIONS_TABLE } from '../database/data-source-options';
import { ModelCache } from '../inference';
import { backendReport } from '../ml';
import { DependencyMonitor } from './dependency-monitor.service';
import { ShutdownDrain } from './shutdown-drain.service';
import { WorkerHeartbeats } from './worker-heartbeats';

type Check = { status: 'up' | 'down'; [key: string]: unknown };

export interface ReadinessReport {
  ready: boolean;
  body: {
    status: 'ok' | 'error';
    /** Checks that are up. */
    info: Record<string, Check>;
    /** What makes the replica unready (it cannot serve, or it is draining). */
    error: Record<string, Check>;
    /** Dependencies that are down while the replica still serves (from memory: models, tokens, aliases). */
    degraded: Record<string, Check>;
    details: Record<string, Check>;
  };
}

/**
 * Readiness that a load balancer can trust: "can this replica serve?" (migrations applied, model
 * cache warmed, not draining), never "are its dependencies up?", which every replica would answer
 * alike, taking them all out at once. Dependencies are reported beside it, from the background
 * checks of DependencyMonitor, so a report takes no round trip that an outage could stall.
 */
@Injectable()
export class Readiness implements OnApplicationBootstrap {
  private migrationsApplied = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dependencies: DependencyMonitor,
    private readonly drain: ShutdownDrain,
    private readonly workers: WorkerHeartbeats,
    private readonly models: ModelCache,
  ) {}

  /** The process started with PostgreSQL reachable: check the migrations now, before any outage can hide them. */
  async onApplicationBootstrap(): Promise<void> {
    await this.migrationsCheck();
  }

  async report(): Promise<ReadinessReport> {
    const deps = this.dependencies.snapshot();
    const gating: Record<string, Check> = {
      serving: { status: 'up', models: this.models.cachedVersions() },
      migrations: await this.migrationsCheck(),
      ...(this.drain.draining
        ? { shutdown: { status: 'down', message: 'draining: the process is shutting down (SIGTERM)' } }
        : {}),
    };
    const dependencies: Record<string, Check> = { database: { ...deps.PostgreSQL }, redis: { ...deps.Redis } };
    const informational: Record<string, Check> = {
      tfjs: { status: 'up', ...(await backendReport()) },
      workers: await this.workersCheck(),
    };
    const details = { ...gating, ...dependencies, ...informational };
    const pick = (from: Record<string, Check>, status: 'up' | 'down') =>
      Object.fromEntries(Object.entries(from).filter(([, c]) => c.status === status));
    const error = pick(gating, 'down');
    const ready = Object.keys(error).length === 0;
    return {
      ready,
      body: {
        status: ready ? 'ok' : 'error',
        info: { ...pick(gating, 'up'), ...pick(dependencies, 'up'), ...informational },
        error,
        degraded: pick(dependencies, 'down'),
        details,
      },
    };
  }

  /**
   * Every migration this build ships is recorded as applied. One query (TypeORM's showMigrations
   * logs a line a migration); once true it stays true for this process, so an outage later does not
   * make it unknown.
   */
  private async migrationsCheck(): Promise<Check> {
    if (this.migrationsApplied) return { status: 'up' };
    if (!this.dependencies.isUp('PostgreSQL'))
      return { status: 'down', message: 'not verified yet: PostgreSQL is unreachable' };
    try {
      const rows: { name: string }[] = await this.dataSource.query(
        `SELECT name FROM ${this.dataSource.driver.escape(MIGRATIONS_TABLE)}`,
      );
      const applied = new Set(rows.map((r) => r.name));
      const pending = this.dataSource.migrations
        .map((m) => m.name ?? m.constructor.name)
        .filter((n) => !applied.has(n));
      if (pending.length) return { status: 'down', message: `pending migrations: ${pending.join(', ')}` };
      this.migrationsApplied = true;
      return { status: 'up' };
    } catch (err) {
      return { status: 'down', message: (err as Error).message };
    }
  }

  /** Workers whose heartbeat is recent (informational: an API replica serves without them). */
  private async workersCheck(): Promise<Check> {
    if (!this.dependencies.isUp('Redis')) return { status: 'up', alive: null, message: 'Redis is unreachable' };
    try {
      const alive = await this.workers.alive(); // bounded by WorkerHeartbeats itself
      return { status: 'up', alive: alive.length, workers: alive };
    } catch (err) {
      return { status: 'up', alive: null, message: (err as Error).message };
    }
  }
}
