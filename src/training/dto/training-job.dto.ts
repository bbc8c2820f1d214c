import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MODEL_FAMILIES, TASKS, type ModelFamily, type Task } from '../../ml';
import { JOB_STATES, type JobProgress } from '../training-job.entity';
import { IsDbInt } from '../../common/db-int';

/** The stored states, and `stalled`: a running job whose worker's heartbeat is gone (derived when read). */
export const REPORTED_STATES = [...JOB_STATES, 'stalled'] as const;
export type ReportedState = (typeof REPORTED_STATES)[number];

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export class CreateTrainingJobDto {
  @ApiProperty({ example: 'credit', description: 'Dataset name.' })
  @IsString()
  @MaxLength(200)
  dataset!: string;

  @ApiPropertyOptional({ description: 'Dataset version number; default: the latest.' })
  @IsOptional()
  @IsDbInt(1)
  version?: number;

  @ApiPropertyOptional({ example: 'Status', description: 'Target column; default: the dataset’s target.' })
  @IsOptional()
  @IsString()
  target?: string;

  @ApiPropertyOptional({
    enum: TASKS,
    example: 'binary',
    description:
      "Default: inferred from the target in the dataset version. A category or boolean target with 2 distinct values trains `binary`, with more `multiclass`; an integer target with 2 distinct values `binary`, with more `regression` (counts, ages and scores are quantities: ask `multiclass` for integer-coded classes); a number target `regression`; a text target is refused. Recorded in the job's recipe.",
  })
  @IsOptional()
  @IsIn(TASKS)
  task?: Task;

  @ApiPropertyOptional({ enum: MODEL_FAMILIES, default: 'mlp', type: String })
  @IsOptional()
  @IsIn(MODEL_FAMILIES)
  family: ModelFamily = 'mlp';

  @ApiPropertyOptional({
    type: Object,
    description:
      'Overrides of the defaults: epochs, batchSize, learningRate, hiddenUnits, dropout, l2, patience, classWeights, thresholdStrategy, threshold.',
    example: { epochs: 60, learningRate: 0.001 },
  })
  @IsOptional()
  @IsObject()
  hyperparameters: Record<string, unknown> = {};

  @ApiPropertyOptional({ type: Number, default: 42 })
  @IsOptional()
  @IsDbInt()
  seed: number = 42;

  @ApiPropertyOptional({
    example: 'bad',
    description:
      "Positive class of a binary target (the class precision, recall and F1 are of): one of the target's classes in the dataset version. Default: the rarer class in that version (on a tie, the last in sorted order). Recorded in the job's recipe, the run's params and the model version.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  positiveClass?: string;

  @ApiPropertyOptional({ description: 'Feature columns; default: every column but the target.' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  features?: string[];

  @ApiPropertyOptional({
    example: 'credit',
    description: 'Register the result as a version of this model (default: the dataset name; "" = run only).',
  })
  @IsOptional()
  @Matches(/^$|^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, {
    message: 'must be letters, digits, ".", "_" or "-" (at most 100)',
  })
  model?: string;

  @ApiPropertyOptional({
    example: 'production',
    description:
      'Move this alias to the new version once it passes the quality gate (as `PUT /models/{name}/aliases/{alias}` would); the outcome is in `result.promotions`. Without it, the version is called by number (`?version=N`) until an alias is moved to it.',
  })
  @IsOptional()
  @Matches(NAME, { message: 'must be letters, digits, ".", "_" or "-"' })
  promoteTo?: string;
}

export class TrainingJobDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    enum: REPORTED_STATES,
    description:
      '`stalled`: running, but its worker has stopped beating (see stalledReason); another worker retries it once its lock expires.',
  })
  state!: ReportedState;

  @ApiProperty({
    description:
      'The resolved request: dataset, target, task (as asked or inferred), positiveClass (binary: as asked or the default), family, hyperparameters, seed, features. A scheduled retrain replays it.',
  })
  recipe!: Record<string, unknown>;

  @ApiProperty()
  datasetVersion!: number;

  @ApiPropertyOptional({
    nullable: true,
    type: Object,
    description: 'Latest epoch: epoch, maxEpochs, loss, valLoss, valMetrics.',
  })
  progress!: JobProgress | null;

  @ApiProperty()
  attempts!: number;

  @ApiPropertyOptional({ nullable: true, type: String })
  error!: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'worker-7f9c:41',
    description: 'The worker (`host:pid`) that claimed the latest attempt.',
  })
  worker!: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Why the job is `stalled` (its worker and its last progress); null otherwise.',
  })
  stalledReason!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' })
  runId!: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  model!: string | null;

  @ApiPropertyOptional({ nullable: true, type: Number })
  modelVersion!: number | null;

  @ApiPropertyOptional({
    nullable: true,
    type: Object,
    description: 'Held-out metrics, timings, backend, promotion outcome.',
  })
  result!: Record<string, unknown> | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiPropertyOptional({ nullable: true, type: Date })
  startedAt!: Date | null;

  @ApiPropertyOptional({ nullable: true, type: Date })
  finishedAt!: Date | null;
}
