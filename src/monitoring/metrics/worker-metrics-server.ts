import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from './metrics.service';

/**
 * A worker process's own `/metrics` (APP_ROLE=worker: it has no HTTP server otherwise), on
 * WORKER_METRICS_HOST:WORKER_METRICS_PORT, without authentication: the port is internal (no
 * ingress reaches it) and serves operational counts only, so a token check would only make a
 * scrape depend on PostgreSQL. With APP_ROLE=all the api's `/metrics` already holds everything;
 * port 0 turns it off. A port already taken stops the start, as any misconfigured listener.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { WORKER_METRICS_PORT: port, WORKER_METRICS_HOST: host } = this.config.env;
    if (this.config.runsHttp || port === 0) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: this port serves GET /metrics only\n');
        return;
      }
      this.metrics.metrics().then(
        (text) =>
          res.writeHead(200, { 'content-type': this.metrics.contentType, 'cache-control': 'no-store' }).end(text),
        (err: Error) => {
          this.logger.error({ err: err.message }, 'metrics could not be collected');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n');
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) =>
        reject(new Error(`WORKER_METRICS_PORT: cannot listen on ${host}:${port}: ${err.message}`)),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    this.logger.log(
      { host: bound.address, port: bound.port },
      `worker metrics on http://${host}:${bound.port}/metrics`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
