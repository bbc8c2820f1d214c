import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsObject, IsUUID, ValidateNested } from 'class-validator';

export class FeedbackDto {
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'number' }],
    example: 'good',
    description: 'The true outcome: one of the target classes, or a number for regression.',
  })
  @IsDefined()
  label!: string | number;
}

export class FeedbackItemDto extends FeedbackDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  predictionId!: string;
}

export class FeedbackBatchDto {
  @ApiProperty({ type: [FeedbackItemDto], description: 'At most 1000 items; all are accepted or none.' })
  @IsArray()
  // ValidateNested passes an array element through (it validates its elements): objects are asked for first.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => FeedbackItemDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  items!: FeedbackItemDto[];
}

export class FeedbackResultDto {
  @ApiProperty({ format: 'uuid' })
  predictionId!: string;

  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'number' }], example: 'good' })
  label!: string | number;

  @ApiProperty({ example: 'credit' })
  model!: string;

  @ApiProperty({ example: 3 })
  version!: number;

  @ApiProperty({ type: String, format: 'date-time', description: 'When feedback was first given.' })
  createdAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'When its label was last changed (by its giver or an admin).',
  })
  updatedAt!: string;
}

export class FeedbackBatchResultDto {
  @ApiProperty({ type: [FeedbackResultDto] })
  items!: FeedbackResultDto[];
}
