import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { WorkerHeartbeats } from './worker-heartbeats';

/** Beats every WORKER_HEARTBEAT_MS while this process runs workers (worker role only). */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeat.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly heartbeats: WorkerHeartbeats,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.env.WORKER_HEARTBEAT_MS);
    this.timer.unref();
    this.logger.log(
      { worker: this.heartbeats.selfId, intervalMs: this.config.env.WORKER_HEARTBEAT_MS },
      'worker heartbeat started',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.heartbeats.leave().catch(() => undefined);
  }

  private async beat(): Promise<void> {
    try {
      await this.heartbeats.beat();
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'worker heartbeat not written');
    }
  }
}
