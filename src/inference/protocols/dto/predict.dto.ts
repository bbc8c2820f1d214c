import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const FEATURES_EXAMPLE = {
  Seniority: 9,
  Home: 'rent',
  Time: 60,
  Age: 30,
  Marital: 'married',
  Records: 'no',
  Job: 'freelance',
  Expenses: 73,
  Income: 129,
  Assets: 0,
  Debt: 0,
  Amount: 800,
  Price: 846,
};

/**
 * Documentation of the predict body. The body is checked by hand against the model's signature
 * (PredictService), not by class-validator: feature names are only known per model version.
 */
export class PredictRequestDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: FEATURES_EXAMPLE,
    description: 'One record: feature name → value. Give this or `instances`.',
  })
  features?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'A batch of records (at most INFERENCE_MAX_BATCH). Give this or `features`.',
  })
  instances?: Record<string, unknown>[];
}

export class ExplanationDto {
  @ApiProperty({
    example: 'probability:good',
    description:
      'The explained output: `probability:<positive class>` (binary), `probability:<predicted class>` (multiclass) or `value` (regression).',
  })
  output!: string;

  @ApiProperty({ example: 0.82, description: 'The output for this record.' })
  value!: number;

  @ApiProperty({
    example: 0.71,
    description:
      'The output for the reference record (`explanationReference`: medians of numbers, modes of categories and booleans, from training).',
  })
  baseline!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { Income: 0.09, Age: -0.02 },
    description: 'Per feature: value minus the output with only that feature replaced by its reference value.',
  })
  contributions!: Record<string, number>;

  @ApiProperty({
    example: 0.04,
    description:
      'value − baseline − Σ contributions: 0 for an additive model; for this non-linear one it holds the interactions, so contributions do not sum exactly.',
  })
  residual!: number;
}

export class PredictionDto {
  @ApiProperty({ format: 'uuid', description: 'Id of this prediction in the log; send feedback with it.' })
  predictionId!: string;

  @ApiPropertyOptional({ example: 'good', description: 'Predicted class (classification).' })
  label?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    example: { bad: 0.18, good: 0.82 },
    description: 'Probability of each class (classification).',
  })
  probabilities?: Record<string, number>;

  @ApiPropertyOptional({ example: 1234.5, description: 'Predicted value (regression).' })
  value?: number;

  @ApiProperty({
    type: [String],
    example: [],
    description: 'Category features whose value the model never saw (encoded as unknown).',
  })
  unknownCategories!: string[];

  @ApiProperty({ example: 'credit' })
  model!: string;

  @ApiProperty({ example: 3 })
  version!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'production',
    description: 'Alias that was resolved; null when a version was asked for.',
  })
  alias!: string | null;

  @ApiPropertyOptional({ type: ExplanationDto, description: 'With `?explain=true` only.' })
  explanation?: ExplanationDto;
}

export class PredictResponseDto {
  @ApiProperty({ example: 'credit' })
  model!: string;

  @ApiProperty({ example: 3, description: 'The version that answered every record of this request.' })
  version!: number;

  @ApiProperty({ type: String, nullable: true, example: 'production' })
  alias!: string | null;

  @ApiProperty({ type: [PredictionDto], description: 'One entry per record, in request order (one for `features`).' })
  predictions!: PredictionDto[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'With `?explain=true`: the reference record the explanations replace features with.',
  })
  explanationReference?: Record<string, unknown>;
}
