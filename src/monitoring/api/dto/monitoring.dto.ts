import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class WindowDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
}

export class ResultPointDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ type: String, nullable: true, description: '`drift`, `no_drift`, `insufficient_data` (verdict rows)' })
  verdict!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'The threshold the verdict used, when it has one.' })
  threshold!: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The test, its threshold and source, the window size, a band, unseen categories…',
  })
  details!: Record<string, unknown> | null;
}

export class SeriesDto {
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'The feature; `@prediction` the model output; empty the dataset.' }) column!: string;
  @ApiProperty() statistic!: string;
  @ApiProperty({ type: [ResultPointDto] }) points!: ResultPointDto[];
}

export class SeriesPageDto {
  @ApiProperty() model!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ description: 'Most points per series.' }) points!: number;
  @ApiProperty({ description: 'Width of a downsampling slot: each point is the newest window ending in its slot.' })
  slotSeconds!: number;
  @ApiProperty({ type: [SeriesDto] }) series!: SeriesDto[];
}

export class MetricValueDto {
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) lower?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) upper?: number | null;
  @ApiProperty({ type: String, nullable: true }) verdict!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) details!: Record<string, unknown> | null;
}

export class PerformanceWindowDto {
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'An epoch-aligned window of MONITORING_WINDOW_MS: both sides are of this window.' })
  from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ description: 'Whether both estimated and realised figures exist for this window.' })
  paired!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/MetricValueDto' },
    description: 'CBPE estimates by metric (accuracy, precision, recall, f1, roc_auc), each with its band.',
  })
  estimated!: Record<string, MetricValueDto>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/MetricValueDto' },
    description: 'Realised figures from feedback (`realised_*` rows), when present for the same window.',
  })
  realised!: Record<string, MetricValueDto>;
}

export class PerformancePageDto {
  @ApiProperty() model!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() points!: number;
  @ApiProperty() slotSeconds!: number;
  @ApiProperty({ description: 'Length of the aligned windows compared (MONITORING_WINDOW_MS, in seconds).' })
  windowSeconds!: number;
  @ApiProperty({ type: [PerformanceWindowDto] }) windows!: PerformanceWindowDto[];
}

export class VersionStatusDto {
  @ApiProperty() version!: number;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ type: WindowDto, nullable: true, description: 'The newest window computed.' })
  window!: WindowDto | null;
  @ApiProperty({ type: Number, nullable: true }) rows!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'The dataset drift verdict of that window.' })
  drift!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Share of drifted features.' }) driftShare!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/MetricValueDto' } })
  estimated!: Record<string, MetricValueDto>;
}

export class MonitoredModelDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [VersionStatusDto] }) versions!: VersionStatusDto[];
}

export class HistogramSideDto {
  @ApiProperty({ description: 'Values counted (present).' }) rows!: number;
  @ApiProperty({ type: [Number], description: 'Per bin (numbers) or per value (categories).' }) counts!: number[];
  @ApiPropertyOptional({ description: 'Below the training minimum.' }) below?: number;
  @ApiPropertyOptional({ description: 'Above the training maximum.' }) above?: number;
  @ApiPropertyOptional({ description: 'Missing values.' }) missing?: number;
  @ApiPropertyOptional({ description: 'Categories: values of the other side counted together.' }) other?: number;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'Live values training never had.' })
  unseen?: { value: string; count: number }[];
}

export class FeatureHistogramDto {
  @ApiProperty() model!: string;
  @ApiProperty() version!: number;
  @ApiProperty() feature!: string;
  @ApiProperty({ enum: ['numeric', 'category'] }) kind!: 'numeric' | 'category';
  @ApiProperty({ type: WindowDto }) window!: WindowDto;
  @ApiPropertyOptional({ type: [Number], description: 'Numbers: the training bins’ edges (k + 1 for k bins).' })
  edges?: number[];
  @ApiPropertyOptional({ type: [String], description: 'Categories: the values, in the order of `counts`.' })
  values?: string[];
  @ApiProperty({ type: HistogramSideDto }) training!: HistogramSideDto;
  @ApiProperty({ type: HistogramSideDto }) live!: HistogramSideDto;
}

export class ComputedVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({ description: 'Predictions in the window, as the source counted them (with `log`: logged rows).' })
  rows!: number;
  @ApiProperty({ description: 'Bucket rows read (minutes × replicas); 0 with the log source.' }) buckets!: number;
  @ApiPropertyOptional({
    description:
      'With the log source: the predictions the buckets counted in the same window. Below `rows`: buckets lost; above: a sampled (or dropping) log.',
  })
  bucketRows?: number;
  @ApiProperty({ type: String, nullable: true }) drift!: string | null;
  @ApiProperty({ type: [SeriesDto], description: 'Every stored row of the window, one point per series.' })
  results!: SeriesDto[];
}

export class ComputedWindowDto {
  @ApiProperty() model!: string;
  @ApiProperty({ type: WindowDto }) window!: WindowDto;
  @ApiProperty({ type: WindowDto, nullable: true }) baseline!: WindowDto | null;
  @ApiProperty({ enum: ['buckets', 'log'] }) source!: 'buckets' | 'log';
  @ApiPropertyOptional({
    description:
      'With the log source: INFERENCE_LOG_SAMPLE_RATE now (the rate the rows were logged at is not stored); below 1 the figures are an estimate from a sample.',
  })
  logSampleRate?: number;
  @ApiProperty({ type: [ComputedVersionDto] }) versions!: ComputedVersionDto[];
}
