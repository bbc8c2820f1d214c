import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$/;

export class CreateExperimentDto {
  @ApiProperty({ example: 'churn', description: 'Unique name: letters, digits, `_ . -`, up to 128 characters.' })
  @Matches(NAME_PATTERN, { message: 'must be letters, digits, _ . - (up to 128 characters)' })
  name!: string;

  @ApiPropertyOptional({ example: 'Customer churn classifier' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class ExperimentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'churn' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ example: 'user:6f1c…', description: 'Principal that created it.' })
  createdBy!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Experiment id on the MLflow server once mirrored.' })
  mlflowExperimentId!: string | null;
}
