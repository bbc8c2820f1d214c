import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { WEBHOOK_FORMATS, type AlertWebhookEntity, type WebhookFormat } from '../alert-webhook.entity';

export class CreateAlertWebhookDto {
  @ApiProperty({ example: 'ops-slack' })
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9_.\-]+$/, { message: 'name must be letters, digits, _, . or -' })
  name!: string;

  @ApiProperty({
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    description:
      'http or https; a host that resolves to a link-local or metadata address is refused, a private one unless ALERT_WEBHOOK_ALLOW_PRIVATE.',
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({
    enum: WEBHOOK_FORMATS,
    description: '`json` (ours), `slack` (incoming webhook) or `teams` (Workflows webhook, Adaptive Card).',
  })
  @IsIn(WEBHOOK_FORMATS)
  format!: WebhookFormat;

  @ApiPropertyOptional({
    description: 'HMAC key of the signature (16 to 200 characters); omitted: one is made and answered once.',
  })
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateAlertWebhookDto extends PartialType(CreateAlertWebhookDto) {}

/** A webhook target as answered: never its secret. */
export class AlertWebhookDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    example: 'https://hooks.slack.com/…',
    description:
      'Scheme and host only: the path and query are sealed with the secret (Slack and Teams URLs are credentials).',
  })
  url!: string;
  @ApiProperty({ enum: WEBHOOK_FORMATS }) format!: WebhookFormat;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static from(w: AlertWebhookEntity): AlertWebhookDto {
    return {
      id: w.id,
      name: w.name,
      url: w.urlShown,
      format: w.format,
      enabled: w.enabled,
      createdBy: w.createdBy,
      createdAt: w.createdAt,
      updatedAt: w.updatedAt,
    };
  }
}

export class CreatedAlertWebhookDto extends AlertWebhookDto {
  @ApiProperty({
    description: 'The signing secret, in this answer only when it was made here (else null).',
    type: String,
    nullable: true,
  })
  secret!: string | null;
}
