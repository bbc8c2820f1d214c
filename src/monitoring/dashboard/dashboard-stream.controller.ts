import { Controller, Get, Header, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import { Access, CurrentPrincipal, Public, Revocations, type Principal } from '../../auth';
import { ErrorBody } from '../../common/errors/error-body';
import { MonitoringError, MonitoringErrorCode } from '../monitoring.errors';
import { DashboardStream, MAX_STREAMS } from './dashboard-stream.service';
import { StreamQueryDto, StreamTicketDto } from './dto/stream.dto';
import { StreamTickets } from './stream-tickets';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  connection: 'keep-alive',
  // nginx and other proxies buffer responses by default; a stream must pass through at once.
  'x-accel-buffering': 'no',
};

/** The dashboard's live stream (README, "The dashboard's live stream"). */
@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardStreamController {
  constructor(
    private readonly tickets: StreamTickets,
    private readonly stream: DashboardStream,
    private readonly revocations: Revocations,
  ) {}

  @Post('stream-tickets')
  @Access({ roles: ['scientist'] })
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "A ticket for one live stream: single use, valid 30 s, bound to the caller's session (a person's only, not an API token's).",
  })
  @ApiCreatedResponse({ type: StreamTicketDto })
  issue(@CurrentPrincipal() principal: Principal): Promise<StreamTicketDto> {
    // @Access without scopes already refuses API tokens; the narrowing is for the types.
    if (principal.kind !== 'user') throw new Error('a stream ticket needs a user');
    return this.tickets.issue({ userId: principal.userId, sessionId: principal.sessionId, role: principal.role });
  }

  @Get('stream')
  @Public()
  @ApiOperation({
    summary:
      'Server-sent events of every replica: hello, traffic, alert, alias, training, window, reset; a comment line every 15 s. The ticket is the credential.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: '`text/event-stream`, until the client closes it or the session ends.' })
  @ApiUnauthorizedResponse({ type: ErrorBody, description: 'monitoring.stream_ticket_invalid' })
  async open(@Query() query: StreamQueryDto, @Res() reply: FastifyReply): Promise<void> {
    if (this.stream.full)
      throw new MonitoringError(
        MonitoringErrorCode.STREAMS_FULL,
        `This replica has ${MAX_STREAMS} dashboard streams open; try again later or another replica`,
      );
    const holder = query.ticket ? await this.tickets.redeem(query.ticket) : null;
    if (!holder || this.revocations.isSessionRevoked(holder.sessionId))
      throw new MonitoringError(
        MonitoringErrorCode.STREAM_TICKET_INVALID,
        query.ticket
          ? 'The stream ticket is unknown, used, expired or of a session that ended: ask POST /dashboard/stream-tickets for a new one'
          : 'The query parameter ticket is missing: ask POST /dashboard/stream-tickets for one',
      );
    // From here the response is written by hand: Fastify would wait for the handler's value.
    reply.hijack();
    reply.raw.writeHead(200, { ...(reply.getHeaders() as OutgoingHttpHeaders), ...STREAM_HEADERS });
    reply.raw.flushHeaders();
    this.stream.attach(reply.raw, holder, query.lastEventId);
  }
}
