import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const RECORD = {
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

/** MLflow scoring-server body (documentation only: checked by `readMlflowBody` per model). */
export class MlflowInvocationDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { columns: Object.keys(RECORD), data: [Object.values(RECORD)] },
    description: 'pandas split orient: `columns` once, `data` one array per record (`index` ignored).',
  })
  dataframe_split?: { columns: string[]; data: unknown[][]; index?: unknown[] };

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'pandas records orient: one object per record.',
  })
  dataframe_records?: Record<string, unknown>[];

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'TF-serving style: one object per record.',
  })
  instances?: Record<string, unknown>[];

  @ApiPropertyOptional({
    oneOf: [
      { type: 'array', items: { type: 'object' } },
      { type: 'object', additionalProperties: { type: 'array', items: {} } },
    ],
    description: 'One object per record, or {feature: [values]}.',
  })
  inputs?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Inference parameters: accepted and ignored (these models take none).',
  })
  params?: Record<string, unknown>;
}

export class MlflowPredictionsDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    example: ['good'],
    description:
      'One entry per record, in order: the predicted label (classification, like an MLflow pyfunc classifier; no probabilities) or value (regression).',
  })
  predictions!: (string | number)[];
}

export class V2TensorDto {
  @ApiProperty({ example: 'Age', description: 'Feature name (input) or output name.' })
  name!: string;

  @ApiProperty({
    example: 'INT64',
    enum: [
      'BOOL',
      'UINT8',
      'UINT16',
      'UINT32',
      'UINT64',
      'INT8',
      'INT16',
      'INT32',
      'INT64',
      'FP16',
      'FP32',
      'FP64',
      'BYTES',
    ],
  })
  datatype!: string;

  @ApiProperty({ type: [Number], example: [2], description: '[n] or [n, 1] for inputs; [n] or [n, k] for outputs.' })
  shape!: number[];

  @ApiProperty({
    type: 'array',
    items: {},
    example: [30, 41],
    description: 'Row-major values (flat or nested); strings for BYTES.',
  })
  data!: unknown[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { classes: 'bad,good' } })
  parameters?: Record<string, string | number | boolean>;
}

export class V2RequestedOutputDto {
  @ApiProperty({ example: 'label' })
  name!: string;
}

export class V2InferRequestDto {
  @ApiPropertyOptional({ example: 'req-1', description: 'Echoed in the response.' })
  id?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  parameters?: Record<string, unknown>;

  @ApiProperty({
    type: [V2TensorDto],
    description:
      'One tensor per feature: BYTES for categories, FP64/INT64 (any numeric type) for numbers, BOOL for booleans.',
  })
  inputs!: V2TensorDto[];

  @ApiPropertyOptional({ type: [V2RequestedOutputDto], description: 'Only these outputs (default all).' })
  outputs?: V2RequestedOutputDto[];
}

export class V2InferResponseDto {
  @ApiProperty({ example: 'credit' })
  model_name!: string;

  @ApiProperty({ example: '3' })
  model_version!: string;

  @ApiPropertyOptional({ example: 'req-1' })
  id?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { alias: 'production' },
    description: 'The alias that answered (empty string when a version was asked for).',
  })
  parameters!: Record<string, string>;

  @ApiProperty({
    type: [V2TensorDto],
    description:
      'label (BYTES [n]) and probabilities (FP32 [n, k], classes in parameters.classes), or value (FP64 [n]); prediction_id (BYTES [n]) for feedback.',
  })
  outputs!: V2TensorDto[];
}

export class V2MetadataTensorDto {
  @ApiProperty({ example: 'Age' })
  name!: string;

  @ApiProperty({ example: 'INT64' })
  datatype!: string;

  @ApiProperty({ type: [Number], example: [-1], description: '-1: any batch size.' })
  shape!: number[];
}

export class V2ModelMetadataDto {
  @ApiProperty({ example: 'credit' })
  name!: string;

  @ApiProperty({
    type: [String],
    example: ['1', '2', '3'],
    description: 'Versions that may be asked for under /versions/{v}.',
  })
  versions!: string[];

  @ApiProperty({ example: 'tensorflowjs' })
  platform!: string;

  @ApiProperty({ type: [V2MetadataTensorDto] })
  inputs!: V2MetadataTensorDto[];

  @ApiProperty({ type: [V2MetadataTensorDto] })
  outputs!: V2MetadataTensorDto[];
}

export class V2ReadyDto {
  @ApiProperty({ example: true })
  ready!: boolean;
}
