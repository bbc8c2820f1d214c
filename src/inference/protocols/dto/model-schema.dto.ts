import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class TargetDto {
  @ApiProperty({ example: 'Status' })
  name!: string;

  @ApiProperty({ example: 'binary', enum: ['binary', 'multiclass', 'regression'] })
  task!: string;

  @ApiPropertyOptional({ type: [String], example: ['bad', 'good'] })
  classes?: string[];

  @ApiPropertyOptional({ example: 'good' })
  positiveClass?: string;
}

export class ModelSchemaDto {
  @ApiProperty({ example: 'credit' })
  model!: string;

  @ApiProperty({ example: 3 })
  version!: number;

  @ApiProperty({ type: String, nullable: true, example: 'production' })
  alias!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema (2020-12) of one record of `features`.',
  })
  inputSchema!: Record<string, unknown>;

  @ApiProperty({ type: TargetDto })
  target!: TargetDto;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'A valid predict body for this version.' })
  example!: { features: Record<string, unknown> };
}
