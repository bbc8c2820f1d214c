import { setTimeout as sleep } from 'node:timers/promises';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/**
 * The graceful stop of an HTTP replica on SIGTERM: for SHUTDOWN_DRAIN_MS readiness answers 503
 * while every other request is still served, so the load balancer takes the replica out before
 * its port closes; then Nest closes the server, which lets requests in flight finish. Each phase
 * is logged. SIGINT (a terminal's Ctrl-C) and app.close() without a signal do not drain.
 */
@Injectable()
export class ShutdownDrain implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private drainingSince: Date | null = null;

  constructor(private readonly config: AppConfig) {}

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (signal !== 'SIGTERM') return;
    const drainMs = this.config.env.SHUTDOWN_DRAIN_MS;
    this.drainingSince = new Date();
    this.logger.log({ signal, drainMs }, `draining: /health/ready answers 503 for ${drainMs} ms, requests are served`);
    await sleep(drainMs);
    this.logger.log({ signal }, 'drained: closing the HTTP server, requests in flight finish');
  }

  onApplicationShutdown(signal?: string): void {
    if (signal === 'SIGTERM') this.logger.log({ signal }, 'HTTP server closed');
  }
}
