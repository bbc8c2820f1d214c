import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Access } from '../../auth';
import { MetricsService } from './metrics.service';

const SCRAPE_DOC = [
  'Prometheus text format (version 0.0.4): default Node process metrics and the app metrics (`mlapi_*`).',
  'Allowed for admins and API tokens with the `metrics:read` scope. Create a token once',
  '(`POST /api-tokens {"name":"prometheus","scopes":["metrics:read"]}`) and let Prometheus send it:',
  '',
  '```yaml',
  'scrape_configs:',
  '  - job_name: ml-api',
  '    metrics_path: /metrics',
  '    authorization:',
  '      type: Bearer',
  '      credentials_file: /etc/prometheus/ml-api-token   # or credentials: mlt_...',
  '    static_configs:',
  '      - targets: ["ml-api:3000"]',
  '```',
  "Each replica serves its own process's metrics: scrape every replica (service discovery), not the load balancer,",
  'and sum counters across replicas. Worker processes serve theirs (queues, training jobs) on their own port',
  '(`WORKER_METRICS_PORT`, default 9464, internal, no token).',
].join('\n');

@ApiTags('monitoring')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  // Prometheus' text format; the exposition is not JSON, so the content type is fixed here.
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Access({ roles: [], scopes: ['metrics:read'] })
  @ApiOperation({
    summary: 'Prometheus metrics of this process (scrape with a `metrics:read` API token)',
    description: SCRAPE_DOC,
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition',
    schema: { type: 'string', example: 'mlapi_tfjs_backend{backend="wasm"} 1' },
  })
  scrape(): Promise<string> {
    return this.metrics.metrics();
  }
}
