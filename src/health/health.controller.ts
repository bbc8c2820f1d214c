import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth';
import { Readiness } from './readiness.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: Readiness,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up (liveness probe).' })
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'The replica can serve (readiness probe): migrations applied, model cache warmed, not draining. PostgreSQL or Redis down is reported under `degraded`, not as unready.',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const { ready, body } = await this.readiness.report();
    if (!ready) void reply.status(503);
    return body;
  }

  @Get()
  @ApiOperation({ summary: 'Every check and dependency, always 200 (for dashboards): the body of /health/ready.' })
  async details() {
    return (await this.readiness.report()).body;
  }
}
