import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, Max, Min } from 'class-validator';

/** Most slots a traffic read answers. */
export const TRAFFIC_MAX_POINTS = 500;

export class TrafficQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Default `to` − 1 h; rounded down to the start of its slot.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Default now.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({
    type: Number,
    default: 60,
    minimum: 1,
    maximum: TRAFFIC_MAX_POINTS,
    description:
      'Most slots: the range is cut in slots of whole minutes (whole hours from one hour up), aligned to multiples of the slot since the epoch, at most this many.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(TRAFFIC_MAX_POINTS)
  points: number = 60;
}

export class LatencyQuantilesDto {
  @ApiProperty({ description: 'ms' }) p50!: number;
  @ApiProperty({ description: 'ms' }) p95!: number;
  @ApiProperty({ description: 'ms' }) p99!: number;
}

export class VersionTrafficDto {
  @ApiProperty() version!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The alias that served it (`production`, `canary`, `shadow`…); null: the version was asked for.',
  })
  alias!: string | null;
  @ApiProperty({ description: 'Predictions it answered in the slot (shadow scoring included, under `shadow`).' })
  requests!: number;
}

export class ValueMeanDto {
  @ApiProperty({ description: 'Mean predicted value (regression).' }) mean!: number;
}

export class TrafficPointDto {
  @ApiProperty({ description: 'Slot start.' }) t!: string;
  @ApiProperty({
    description:
      "Predictions answered to callers (a request of n records counts n; production, canary and explicitly asked versions; shadow scoring is not a caller's request).",
  })
  requests!: number;
  @ApiProperty({ description: 'Predictions refused as invalid or failed (monitoring.replica_counts).' })
  errors!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'errors / (requests + errors); null without either.' })
  errorRate!: number | null;
  @ApiProperty({ description: 'requests per second of the slot (up to `to` for the last one).' }) rps!: number;
  @ApiProperty({
    type: LatencyQuantilesDto,
    nullable: true,
    description:
      "Callers' request latency from the buckets' latency histogram (within a factor 1.4 of the exact quantile); null without predictions.",
  })
  latencyMs!: LatencyQuantilesDto | null;
  @ApiProperty({ type: [VersionTrafficDto] }) byVersion!: VersionTrafficDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    nullable: true,
    description: "Predicted classes of callers' predictions (classification); null for regression.",
  })
  classes!: Record<string, number> | null;
  @ApiProperty({
    type: ValueMeanDto,
    nullable: true,
    description: 'Regression; null otherwise or without predictions.',
  })
  value!: ValueMeanDto | null;
}

export class TrafficPageDto {
  @ApiProperty() model!: string;
  @ApiProperty({ description: "The first slot's start." }) from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() slotSeconds!: number;
  @ApiProperty({ type: [TrafficPointDto], description: 'Every slot of the range, oldest first.' })
  points!: TrafficPointDto[];
}
