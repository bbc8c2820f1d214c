import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MIRROR_STATUSES, RUN_STATUSES, type MirrorStatus, type RunStatus } from '../entities/run.entity';

export class MetricPointDto {
  @ApiProperty({ example: 3 })
  step!: number;

  @ApiProperty({ example: 0.41 })
  value!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  loggedAt!: string;
}

export class ArtifactDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'model/bundle.json' })
  name!: string;

  @ApiProperty({ example: 'postgres', description: 'Store holding the bytes.' })
  store!: string;

  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256!: string;

  @ApiProperty({ example: 48213 })
  size!: number;

  @ApiProperty({ example: 'application/json' })
  contentType!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class MirrorStateDto {
  @ApiProperty({ enum: MIRROR_STATUSES, description: '`disabled` when MLFLOW_TRACKING_URI is unset.' })
  status!: MirrorStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Last mirroring error (kept until a sync succeeds).' })
  lastError!: string | null;

  @ApiProperty({ example: 1, description: 'Failed attempts since the last success.' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, description: 'Run id on the MLflow server.' })
  mlflowRunId!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  syncedAt!: string | null;
}

export class RunDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  experimentId!: string;

  @ApiProperty({ example: 'churn' })
  experimentName!: string;

  @ApiProperty({ example: 'mlp-64-32' })
  name!: string;

  @ApiProperty({ enum: RUN_STATUSES })
  status!: RunStatus;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { lr: '0.01', epochs: '20' } })
  params!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  tags!: Record<string, string>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { roc_auc: 0.87 },
    description: 'Final (held-out) metrics.',
  })
  metrics!: Record<string, number>;

  @ApiProperty({ type: String, nullable: true })
  datasetVersionId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'sha256 of the dataset version content.' })
  datasetHash!: string | null;

  @ApiProperty({ example: '1756c8e…', description: 'git sha of the code that trained it.' })
  codeVersion!: string;

  @ApiProperty({ type: String, nullable: true, example: 'wasm' })
  backend!: string | null;

  @ApiProperty({ example: 'user:6f1c…' })
  startedBy!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  endedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why a failed run failed.' })
  error!: string | null;

  @ApiProperty({ type: MirrorStateDto })
  mirror!: MirrorStateDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: '#/components/schemas/MetricPointDto' } },
    description: 'Per-step metric history by key (GET /runs/{id} only).',
  })
  metricHistory?: Record<string, MetricPointDto[]>;

  @ApiPropertyOptional({ type: [ArtifactDto], description: 'GET /runs/{id} only.' })
  artifacts?: ArtifactDto[];
}

export class RunPageDto {
  @ApiProperty({ type: [RunDto] })
  items!: RunDto[];

  @ApiProperty({ example: 50 })
  limit!: number;

  @ApiProperty({ example: 0 })
  offset!: number;
}
