import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class StreamTicketDto {
  @ApiProperty({ description: 'Opens one stream (`GET /dashboard/stream?ticket=…`), once, within 30 s.' })
  ticket!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class StreamQueryDto {
  @ApiPropertyOptional({
    description: 'A ticket from `POST /dashboard/stream-tickets`; missing, used, expired or unknown: 401.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  ticket?: string;

  @ApiPropertyOptional({
    description:
      'The `id` of the last event the page received (`<bootId>.<seq>`): the events after it are replayed when this replica still has them (2 min, 2,000 events), else the stream starts with `reset`.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  lastEventId?: string;
}
