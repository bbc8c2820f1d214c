import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ALERT_KINDS, SEVERITIES, type AlertKind, type Severity } from '../alert-kinds';
import type { AlertRuleEntity } from '../alert-rule.entity';

const NAME = /^[A-Za-z0-9_.\-]+$/;
const WEEK_SECONDS = 7 * 24 * 3600;

const PARAMS_DOC = [
  'The kind\'s params (a param the kind does not take is refused): `drift_verdict` {feature?: absent = the dataset verdict, "*" = every feature, or a name};',
  '`data_quality_rate` {metric: missing_rate|out_of_range_rate|unknown_category_rate, threshold: 0..1, feature?};',
  '`estimated_quality_floor` {metric: accuracy|precision|recall|f1|roc_auc, floor}; `realised_quality_floor` {metric: …|r2, floor};',
  '`error_rate` {threshold = 0.05, minRequests = 20, includeInvalid = false}; `latency_p99` {thresholdMs, minRequests = 20};',
  '`log_drops` {threshold = 0}; `training_failures` {threshold = 0} (counts above the threshold fire).',
].join(' ');

export class CreateAlertRuleDto {
  @ApiProperty({ example: 'credit-drift', description: 'Unique; letters, digits, `_`, `.`, `-`.' })
  @IsString()
  @MaxLength(100)
  @Matches(NAME, { message: 'name must be letters, digits, _, . or -' })
  name!: string;

  @ApiProperty({ enum: ALERT_KINDS })
  @IsIn(ALERT_KINDS)
  kind!: AlertKind;

  @ApiPropertyOptional({ nullable: true, description: 'The model watched; omitted or null: every model.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: PARAMS_DOC })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: Severity;

  @ApiProperty({ example: 3600, description: 'How far back each evaluation looks (at least the evaluation interval).' })
  @IsInt()
  @Min(1)
  @Max(WEEK_SECONDS)
  windowSeconds!: number;

  @ApiProperty({
    example: 600,
    description: 'How long the condition must hold before the alert fires; 0 fires at once.',
  })
  @IsInt()
  @Min(0)
  @Max(WEEK_SECONDS)
  forSeconds!: number;

  @ApiPropertyOptional({
    default: false,
    description:
      'Drift and quality kinds only: a firing starts one retraining of the model, whose result becomes `challenger` (never `production`).',
  })
  @IsOptional()
  @IsBoolean()
  retrain?: boolean;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateAlertRuleDto extends PartialType(CreateAlertRuleDto) {}

export class AlertRuleDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind!: AlertKind;
  @ApiProperty({ type: String, nullable: true }) model!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'With the defaults filled in.' })
  params!: Record<string, unknown>;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty() windowSeconds!: number;
  @ApiProperty() forSeconds!: number;
  @ApiProperty() retrain!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ description: '`default` for a seeded rule, else the admin who created it.' }) createdBy!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static from(r: AlertRuleEntity): AlertRuleDto {
    const { id, name, kind, model, params, severity, windowSeconds, forSeconds, retrain, enabled } = r;
    return {
      id,
      name,
      kind,
      model,
      params,
      severity,
      windowSeconds,
      forSeconds,
      retrain,
      enabled,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  }
}
