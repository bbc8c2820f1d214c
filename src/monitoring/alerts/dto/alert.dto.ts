import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ALERT_KINDS, SEVERITIES, type AlertKind, type Severity } from '../alert-kinds';
import { ALERT_STATES, type AlertEntity, type AlertState } from '../alert.entity';

export class AlertQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATES })
  @IsOptional()
  @IsIn(ALERT_STATES)
  state?: AlertState;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Alerts changed since then.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;

  @ApiPropertyOptional({ type: Number, default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ type: Number, default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  offset: number = 0;
}

export class AlertDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null once the rule is deleted.' }) ruleId!: string | null;
  @ApiProperty() ruleName!: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind!: AlertKind;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiProperty({ type: String, nullable: true }) model!: string | null;
  @ApiProperty({ example: 'credit@v3/Income' }) subject!: string;
  @ApiProperty({ enum: ALERT_STATES }) state!: AlertState;
  @ApiProperty({ type: Number, nullable: true }) value!: number | null;
  @ApiProperty({ type: Number, nullable: true }) threshold!: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'What was measured (`measured`), over which `window`, compared how (`comparator`), and what backs it; `retrain` when it started a retraining; `resolvedWith` once resolved.',
  })
  evidence!: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) retrainJobId!: string | null;
  @ApiProperty() pendingSince!: Date;
  @ApiProperty({ type: Date, nullable: true }) firedAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true }) resolvedAt!: Date | null;
  @ApiProperty() updatedAt!: Date;

  static from(a: AlertEntity): AlertDto {
    const { id, ruleId, ruleName, kind, severity, model, subject, state, value, threshold, evidence, retrainJobId } = a;
    return {
      id,
      ruleId,
      ruleName,
      kind,
      severity,
      model,
      subject,
      state,
      value,
      threshold,
      evidence,
      retrainJobId,
      pendingSince: a.pendingSince,
      firedAt: a.firedAt,
      resolvedAt: a.resolvedAt,
      updatedAt: a.updatedAt,
    };
  }
}

export class AlertPageDto {
  @ApiProperty({ type: [AlertDto] }) items!: AlertDto[];
  @ApiProperty() total!: number;
}
