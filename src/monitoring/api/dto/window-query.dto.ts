import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { WINDOW_SOURCES, type WindowSource } from '../../windows/window-computer.service';

const ALIAS = /^[a-z][a-z0-9_-]{0,63}$/;

/** A range of stored windows (those ending in it): what every read of results takes. */
export class TimeRangeQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Windows ending after it; default `to` − 24 h.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'Windows ending at or before it; default now.',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;
}

/** A time range and which versions: the query of every read endpoint. */
export class ResultsQueryDto extends TimeRangeQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, description: 'One version (else every version with results).' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  @ApiPropertyOptional({
    example: 'production',
    description: 'The version this alias names now (instead of `version`).',
  })
  @IsOptional()
  @IsString()
  @Matches(ALIAS, { message: 'alias must be a lower-case alias name' })
  alias?: string;

  @ApiPropertyOptional({
    type: Number,
    default: 100,
    minimum: 1,
    maximum: 1000,
    description:
      'Most points per series: the range is cut in this many equal slots and each keeps its newest stored window.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  points: number = 100;
}

export class DriftQueryDto extends ResultsQueryDto {
  @ApiPropertyOptional({ description: 'One feature (`@prediction` for the model output, empty for the dataset).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  feature?: string;

  @ApiPropertyOptional({
    enum: ['drift', 'psi', 'ks', 'ks_p', 'wasserstein', 'jensen_shannon', 'chi2_p'],
    description: 'One statistic (default: every one; `drift` is the verdict row).',
  })
  @IsOptional()
  @IsIn(['drift', 'psi', 'ks', 'ks_p', 'wasserstein', 'jensen_shannon', 'chi2_p'])
  statistic?: string;

  @ApiPropertyOptional({
    enum: ['training', 'window'],
    default: 'training',
    description: 'Against the training profile, or the results of a window against a baseline window.',
  })
  @IsOptional()
  @IsIn(['training', 'window'])
  against: 'training' | 'window' = 'training';
}

export const PERFORMANCE_WINDOWS = ['aligned', 'all'] as const;

export class PerformanceQueryDto extends ResultsQueryDto {
  @ApiPropertyOptional({
    enum: PERFORMANCE_WINDOWS,
    default: 'aligned',
    description:
      '`aligned`: the epoch-aligned MONITORING_WINDOW_MS windows, estimated paired with realised; `all`: also the sliding windows the window job estimates every minute (estimates only), so a current estimate shows before the first aligned window ends.',
  })
  @IsOptional()
  @IsIn(PERFORMANCE_WINDOWS)
  windows: (typeof PERFORMANCE_WINDOWS)[number] = 'aligned';
}

export class DataQualityQueryDto extends ResultsQueryDto {
  @ApiPropertyOptional({ description: 'One feature.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  feature?: string;
}

export class HistogramQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Default `to` − 1 h.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Default now.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

  @ApiPropertyOptional({ type: Number, minimum: 1, description: 'Default: the version `alias` names.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  @ApiPropertyOptional({ default: 'production' })
  @IsOptional()
  @IsString()
  @Matches(ALIAS, { message: 'alias must be a lower-case alias name' })
  alias?: string;
}

export class WindowBodyDto {
  @ApiProperty({ type: String, format: 'date-time' })
  @Type(() => Date)
  @IsDate()
  from!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  @Type(() => Date)
  @IsDate()
  to!: Date;
}

export class ComputeWindowDto extends WindowBodyDto {
  @ApiPropertyOptional({
    type: Number,
    minimum: 1,
    description: 'One version (else `alias`, else every version with buckets).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;

  @ApiPropertyOptional({ example: 'canary', description: 'The versions this alias served in the window.' })
  @IsOptional()
  @IsString()
  @Matches(ALIAS, { message: 'alias must be a lower-case alias name' })
  alias?: string;

  @ApiPropertyOptional({
    type: WindowBodyDto,
    description: 'Compare with this live window (e.g. last week) instead of the training profile.',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => WindowBodyDto)
  baseline?: WindowBodyDto;

  @ApiPropertyOptional({
    enum: WINDOW_SOURCES,
    default: 'buckets',
    description:
      "Where the window's (and the baseline's) aggregates come from: `buckets` (the per-minute aggregates, cost independent of traffic) or `log`, recomputed from the raw prediction log (audit, lost buckets; its time grows with the rows, 10 s or more per million). Both count each prediction the same way, so on the same predictions they give the same figures; with INFERENCE_LOG_SAMPLE_RATE < 1 the log holds a sample and its figures are an estimate. With `log` each version also reports `bucketRows`, the buckets' count of the same window.",
  })
  @IsOptional()
  @IsIn(WINDOW_SOURCES)
  source?: WindowSource;
}
