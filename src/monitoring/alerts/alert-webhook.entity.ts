import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const WEBHOOK_FORMATS = ['json', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/**
 * A webhook target an admin added. Its signing secret and URL (a Slack or Teams URL is the
 * receiver's credential) must be read back to deliver, so they are sealed (AES-256-GCM,
 * src/common/sealed-secrets.ts) rather than hashed; `urlShown` (scheme and host) is what answers
 * and logs show. Neither is ever answered after creation nor logged (docs/architecture.md, "Alerts").
 */
@Entity({ schema: 'monitoring', name: 'alert_webhooks' })
export class AlertWebhookEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ name: 'url_sealed', type: 'text' })
  urlSealed!: string;

  @Column({ name: 'url_shown', type: 'text' })
  urlShown!: string;

  @Column({ type: 'text' })
  format!: WebhookFormat;

  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
