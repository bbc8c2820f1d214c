import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { IsDbInt } from '../../common/db-int';

export const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9_\-]{0,63}$/;

export class CreateVersionDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The run to register; it must have finished and hold the bundle artifact.',
  })
  @IsUUID()
  runId!: string;

  @ApiPropertyOptional({
    example: 'model/bundle.json',
    description: 'Run artifact holding the model bundle (default `model/bundle.json`).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  artifactName?: string;

  @ApiPropertyOptional({
    description: "Dataset version of the held-out data the metrics come from (default: the run's dataset version).",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  evaluationDatasetVersionId?: string;

  @ApiPropertyOptional({
    example: 'seed=42;test=0.2',
    description: "How the held-out part was split (default: the run's `evaluation_split` tag).",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  evaluationSplit?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class ModelVersionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'churn' })
  modelName!: string;

  @ApiProperty({ example: 3 })
  version!: number;

  @ApiProperty({ format: 'uuid' })
  runId!: string;

  @ApiProperty({ example: 'model/bundle.json' })
  artifactName!: string;

  @ApiProperty({ description: 'sha256 of the bundle.' })
  bundleSha256!: string;

  @ApiProperty({ example: 48213 })
  bundleSize!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { roc_auc: 0.87 } })
  metrics!: Record<string, number>;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'binary',
    description: "The run's `task` param: binary, multiclass or regression (null when the run did not record one).",
  })
  task!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'bad',
    description:
      "The run's `positiveClass` param: the class of a binary target that precision, recall and F1 in `metrics` are of (null for other tasks, or when the run did not record it).",
  })
  positiveClass!: string | null;

  @ApiProperty({ type: String, nullable: true })
  datasetVersionId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  evaluationDatasetVersionId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  evaluationSplit!: string | null;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ type: [String], example: ['production'] })
  aliases!: string[];

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Version number in the MLflow model registry once mirrored.',
  })
  mlflowVersion!: string | null;
}

export class RegisteredModelDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'churn' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { production: 3, staging: 4 },
    description: 'Alias → version.',
  })
  aliases!: Record<string, number>;

  @ApiProperty({ type: Number, nullable: true, example: 4 })
  latestVersion!: number | null;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ enum: ['disabled', 'pending', 'synced', 'failed'] })
  mirrorStatus!: string;

  @ApiProperty({ type: String, nullable: true })
  mirrorError!: string | null;
}

export class MoveAliasDto {
  @ApiProperty({ example: 3, description: 'Version to point the alias at.' })
  @IsDbInt(1)
  version!: number;

  @ApiProperty({ example: 'Better ROC AUC on the March holdout', description: 'Why; kept in the audit.' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason!: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Admins only: move even if the quality gate refuses (403 for others).',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class GateReasonDto {
  @ApiProperty({ example: 'metrics.roc_auc' })
  field!: string;

  @ApiProperty({ example: 'roc_auc is 0.65; the gate requires >= 0.7' })
  message!: string;
}

export class GateResultDto {
  @ApiProperty()
  passed!: boolean;

  @ApiProperty({ type: [GateReasonDto] })
  reasons!: GateReasonDto[];

  @ApiProperty({ type: [String] })
  warnings!: string[];

  @ApiProperty({ type: String, nullable: true, example: 'roc_auc' })
  primaryMetric!: string | null;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Whether both versions were evaluated on the same held-out data (null: nothing to compare).',
  })
  sameEvaluationData!: boolean | null;
}

export class AliasMoveDto {
  @ApiProperty({ format: 'uuid', description: 'Audit row id.' })
  id!: string;

  @ApiProperty({ example: 'churn' })
  modelName!: string;

  @ApiProperty({ example: 'production' })
  alias!: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Version that held the alias before (null: new alias).' })
  fromVersion!: number | null;

  @ApiProperty({ example: 3 })
  toVersion!: number;

  @ApiProperty({ example: 'user:6f1c…' })
  actor!: string;

  @ApiProperty()
  reason!: string;

  @ApiProperty()
  forced!: boolean;

  @ApiProperty({ type: GateResultDto })
  gate!: GateResultDto;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class AliasDto {
  @ApiProperty({ example: 'production' })
  alias!: string;

  @ApiProperty({ type: ModelVersionDto })
  version!: ModelVersionDto;
}
