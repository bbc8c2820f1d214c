import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NAME_PATTERN } from './experiment.dto';
import { IsDbInt } from '../../common/db-int';

export class StartRunDto {
  @ApiProperty({ example: 'churn', description: 'Experiment name; created if absent.' })
  @Matches(NAME_PATTERN, { message: 'must be letters, digits, _ . - (up to 128 characters)' })
  experimentName!: string;

  @ApiPropertyOptional({ example: 'mlp-64-32', description: 'Defaults to a timestamped name.' })
  @IsOptional()
  @IsString()
  @MaxLength(250)
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { lr: '0.01' } })
  @IsOptional()
  @IsObject()
  params?: Record<string, string | number | boolean>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  tags?: Record<string, string>;

  @ApiPropertyOptional({ example: 'a6c1…', description: 'Dataset version trained on.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  datasetVersionId?: string;

  @ApiPropertyOptional({ description: 'sha256 of that dataset version.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  datasetHash?: string;

  @ApiPropertyOptional({ example: 'wasm', description: 'TensorFlow.js backend.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  backend?: string;
}

export class LogMetricsDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { loss: 0.41, val_auc: 0.83 } })
  @IsObject()
  metrics!: Record<string, number>;

  @ApiPropertyOptional({ example: 3, description: 'Epoch; omit for final (held-out) metrics.' })
  @IsOptional()
  @IsDbInt(0)
  step?: number;
}

export class EndRunDto {
  @ApiProperty({ enum: ['finished', 'failed', 'killed'] })
  @IsIn(['finished', 'failed', 'killed'])
  status!: 'finished' | 'failed' | 'killed';

  @ApiPropertyOptional({ description: 'Why it failed.' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  error?: string;
}
