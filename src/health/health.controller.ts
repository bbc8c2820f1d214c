import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth';
import { initBackend } from '../ml';
import { RedisService } from '../redis/redis.service';
import { MIGRATIONS_TABLE } from '../database/data-source-options';
import { ShutdownDrain } from './shutdown-drain.service';
import { WorkerHeartbeats } from './worker-heartbeats';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  private migrationsApplied = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redis: RedisService,
    private readonly workers: WorkerHeartbeats,
    private readonly drain: ShutdownDrain,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (liveness probe).' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({
    summary: 'PostgreSQL and Redis reachable and migrations applied (readiness probe); 503 while draining on SIGTERM.',
  })
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    if (this.drain.draining) {
      const shutdown = { status: 'down', message: 'draining: the process is shutting down (SIGTERM)' };
      void reply.status(503);
      return { status: 'error', info: {}, error: { shutdown }, details: { shutdown } };
    }
    try {
      return await this.health.check([
        () => this.db.pingCheck('database', { timeout: 2000 }),
        () => this.redisCheck(),
        () => this.migrationsCheck(),
        () => this.backendCheck(),
        () => this.workersCheck(),
      ]);
    } catch (err) {
      // Keep terminus' own body (status/info/error/details) for probes and dashboards.
      if (!(err instanceof ServiceUnavailableException)) throw err;
      void reply.status(503);
      return err.getResponse();
    }
  }

  private async redisCheck() {
    const check = this.indicator.check('redis');
    try {
      await this.redis.ping();
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  /**
   * Workers whose heartbeat is recent (informational: an API replica serves without them, so
   * none alive does not make it unready; a Redis failure is the redis check's to report).
   */
  private async workersCheck() {
    const check = this.indicator.check('workers');
    try {
      const alive = await this.workers.alive();
      return check.up({ alive: alive.length, workers: alive });
    } catch (err) {
      return check.up({ alive: null, message: (err as Error).message });
    }
  }

  /** The TensorFlow.js backend in use (chosen once at start; docs/architecture.md: reported here too). */
  private async backendCheck() {
    const check = this.indicator.check('tfjs');
    try {
      return check.up({ backend: await initBackend() });
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  /**
   * Every migration this build ships is recorded as applied. Read with one query (TypeORM's
   * showMigrations logs a line a migration, on every probe); once true it stays true for this process.
   */
  private async migrationsCheck() {
    const check = this.indicator.check('migrations');
    if (this.migrationsApplied) return check.up();
    try {
      const rows: { name: string }[] = await this.dataSource.query(
        `SELECT name FROM ${this.dataSource.driver.escape(MIGRATIONS_TABLE)}`,
      );
      const applied = new Set(rows.map((r) => r.name));
      const pending = this.dataSource.migrations
        .map((m) => m.name ?? m.constructor.name)
        .filter((n) => !applied.has(n));
      if (pending.length) return check.down({ message: `pending migrations: ${pending.join(', ')}` });
      this.migrationsApplied = true;
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }
}
