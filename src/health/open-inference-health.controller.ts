import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth';
import { V2ReadyDto } from '../inference';
import { Readiness } from './readiness.service';

export class V2LiveDto {
  @ApiProperty({ example: true })
  live!: boolean;
}

/**
 * The Open Inference Protocol's (KServe v2) server health. Its readiness is `/health/ready`'s
 * (Readiness): a dependency down is not unreadiness, since the replica still serves the models it
 * holds (docs/architecture.md, "Dependencies down"); the protocol's body has no room for the
 * `degraded` part, which `/health/ready` reports. Here rather than beside the other v2 routes in
 * inference, which cannot import health (health reads inference's model cache).
 */
@ApiTags('inference (Open Inference Protocol v2)')
@Public()
@Controller('v2/health')
export class OpenInferenceHealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('live')
  @ApiOperation({ summary: 'v2 server liveness (200 while the process runs)' })
  @ApiOkResponse({ type: V2LiveDto })
  live(): V2LiveDto {
    return { live: true };
  }

  @Get('ready')
  @ApiOperation({
    summary:
      'v2 server readiness, the same as /health/ready: 200 while the replica can serve (PostgreSQL or Redis down included, as /health/ready reports under `degraded`), 503 `{ready: false}` before its migrations are verified or while it drains',
  })
  @ApiOkResponse({ type: V2ReadyDto })
  @ApiServiceUnavailableResponse({ type: V2ReadyDto })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<V2ReadyDto> {
    const { ready } = await this.readiness.report();
    if (!ready) void reply.status(503);
    return { ready };
  }
}
