import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { InferenceError, InferenceErrorCode } from '../../inference.errors';
import type { ModelRef } from '../../serving/model-source';

/** Which version answers: an alias (default `production`) or an explicit version number. */
export class ModelRefQuery {
  @ApiPropertyOptional({
    example: 'production',
    description: 'Alias to resolve (default `production`); not with `version`.',
  })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_\-]{0,63}$/, {
    message: 'alias must be a letter, then letters, digits, _ or -, up to 64 characters',
  })
  alias?: string;

  @ApiPropertyOptional({ example: 3, description: 'Version number; not with `alias`.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version?: number;
}

/** Predict's query: the model reference and whether to explain. */
export class PredictQuery extends ModelRefQuery {
  @ApiPropertyOptional({
    type: Boolean,
    example: false,
    description: 'Add per-feature contributions to each prediction (at most 100 records; see ExplanationDto).',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  explain?: boolean;
}

/** The model reference a query designates (alias and version together are refused). */
export function refOf(query: ModelRefQuery): ModelRef {
  if (query.alias !== undefined && query.version !== undefined) {
    throw new InferenceError(InferenceErrorCode.AMBIGUOUS_MODEL_REF, 'Give `alias` or `version`, not both', [
      { field: 'version', message: 'not allowed together with alias' },
    ]);
  }
  return query.version !== undefined ? { version: query.version } : { alias: query.alias };
}
