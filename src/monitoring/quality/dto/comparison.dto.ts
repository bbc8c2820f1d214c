import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { TimeRangeQueryDto } from '../../api/dto/window-query.dto';

/** Default most windows a comparison answers: a day of hourly windows whole (24), a week in 4-hour slots (42). */
export const COMPARISON_POINTS = 48;
/** At most: every hourly window of the longest span (31 days, 744). */
export const COMPARISON_MAX_POINTS = 1000;

/** The windows a comparison reads: those ending in the range (default the last 24 hours). */
export class ComparisonQueryDto extends TimeRangeQueryDto {
  @ApiPropertyOptional({
    type: Number,
    default: COMPARISON_POINTS,
    minimum: 1,
    maximum: COMPARISON_MAX_POINTS,
    description:
      'Most windows answered: the range is cut in slots of whole windows (the fewest windows a slot that make at most this many slots, aligned to multiples of their width since the epoch) and each slot keeps its newest window with results, whole. The default answers every window of 24 hours and a week in 4-hour slots; `points=1` answers the newest window alone.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(COMPARISON_MAX_POINTS)
  points: number = COMPARISON_POINTS;
}

const FIGURES = {
  type: 'object',
  additionalProperties: { type: 'number', nullable: true },
  example: { accuracy: 0.82, precision: 0.85, recall: 0.9, f1: 0.87, roc_auc: 0.84 },
} as const;

export class ShadowComparisonDto {
  @ApiProperty({ description: 'The production version whose predictions the shadow shadowed (same requests).' })
  productionVersion!: number;
  @ApiProperty({ description: 'Shadow records linked to a logged production prediction.' }) pairs!: number;
  @ApiProperty({ description: 'Pairs whose production prediction has a label (the shadow inherits it).' })
  labelledPairs!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Share of pairs with the same predicted class (classification).',
  })
  agreement!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Mean |shadow − production| of the predicted value (regression).',
  })
  valueDiffMean!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Mean total variation distance of the probabilities (binary: |Δ P(positive class)|).',
  })
  probabilityDiffMean!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Its 90th percentile (to 0.001).' })
  probabilityDiffP90!: number | null;
  @ApiProperty({
    ...FIGURES,
    description: "The shadow's realised figures on the labelled pairs (null: undefined or too few).",
  })
  shadowRealised!: Record<string, number | null>;
  @ApiProperty({ ...FIGURES, description: "Production's realised figures on the same labelled pairs." })
  productionRealised!: Record<string, number | null>;
}

export class VersionFiguresDto {
  @ApiProperty() version!: number;
  @ApiProperty({
    type: [String],
    description:
      'The aliases its predictions of the window were served under (`production`, `canary`, `shadow`; `""` for a version asked by number).',
  })
  aliases!: string[];
  @ApiProperty({
    enum: ['own', 'shadowed'],
    description:
      "`own`: its figures are of the share of traffic it answered (production and canary see different requests); `shadowed`: it scored production's requests, compared in `shadow`.",
  })
  traffic!: 'own' | 'shadowed';
  @ApiProperty({ type: Number, nullable: true }) predictions!: number | null;
  @ApiProperty({ type: Number, nullable: true }) labelled!: number | null;
  @ApiProperty({ type: Number, nullable: true }) labelledShare!: number | null;
  @ApiProperty({ type: Number, nullable: true }) labelDelayP50Seconds!: number | null;
  @ApiProperty({ type: Number, nullable: true }) labelDelayP90Seconds!: number | null;
  @ApiProperty({ ...FIGURES, description: 'Realised figures of its own labelled predictions (`realised_*` rows).' })
  realised!: Record<string, number | null>;
  @ApiProperty({ description: 'Whether its realised figures had fewer labels than the minimum (values withheld).' })
  realisedInsufficient!: boolean;
  @ApiProperty({
    ...FIGURES,
    description: 'Estimated figures before labels (`estimated_*` rows), where the drift job stored them.',
  })
  estimated!: Record<string, number | null>;
  @ApiProperty({
    description:
      'Whether this window has both estimated and realised figures of the version: both are of this same aligned window.',
  })
  paired!: boolean;
  @ApiPropertyOptional({
    type: ShadowComparisonDto,
    description: 'For a shadow: against production on the same requests.',
  })
  shadow?: ShadowComparisonDto;
}

export class ComparisonWindowDto {
  @ApiProperty({ type: String, format: 'date-time' }) windowStart!: string;
  @ApiProperty({ type: String, format: 'date-time' }) windowEnd!: string;
  @ApiProperty({ type: [VersionFiguresDto] }) versions!: VersionFiguresDto[];
}

export class ComparisonDto {
  @ApiProperty() model!: string;
  @ApiProperty({ type: String, format: 'date-time' }) from!: string;
  @ApiProperty({ type: String, format: 'date-time' }) to!: string;
  @ApiProperty({
    description: 'Length of the windows (MONITORING_WINDOW_MS, in seconds), aligned on its multiples since the epoch.',
  })
  windowSeconds!: number;
  @ApiProperty({ description: 'Most windows answered (the `points` asked).' }) points!: number;
  @ApiProperty({ description: 'Width of a slot, in seconds: a whole number of windows.' }) slotSeconds!: number;
  @ApiProperty({
    type: [ComparisonWindowDto],
    description:
      'The newest stored aligned window inside the span of each slot (every window when a slot is one), newest first.',
  })
  windows!: ComparisonWindowDto[];
}
