import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { backendReport, describeBackend } from '../../ml';

/**
 * Owns the process's one prom-client Registry: default Node metrics (CPU, memory, event loop
 * lag, GC, handles) plus whatever modules register. Modules get the Registry itself injected
 * (MetricsModule provides it under prom-client's `Registry` class) and create their own
 * metrics with `registers: [registry]`, so no module imports monitoring's internals. One
 * registry per app instance (not prom-client's global one): two apps in one process (tests,
 * replicas) never collide on metric names.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  private readonly logger = new Logger(MetricsService.name);
  readonly registry = new Registry();
  private readonly backend: Gauge<'backend'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.backend = new Gauge({
      name: 'mlapi_tfjs_backend',
      help: 'TensorFlow.js backend in use (value 1, the backend in the label): tensorflow, wasm or cpu',
      labelNames: ['backend'],
      registers: [this.registry],
    });
  }

  /** Chooses the tfjs backend at start (docs/architecture.md: reported in the logs, /health and here). */
  async onModuleInit(): Promise<void> {
    const report = await backendReport();
    this.backend.set({ backend: report.backend }, 1);
    this.logger.log({ backend: report.backend, native: report.native }, describeBackend(report));
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every registered metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
