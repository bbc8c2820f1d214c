import type { Provider } from '@nestjs/common';
import { SecretBox } from '../../../common/sealed-secrets';
import { AppConfig } from '../../../config/app-config';

/** The associated data each sealed column is bound to (also migration 1764100017000's). */
export const SECRET_CONTEXT = 'monitoring.alert_webhooks.secret';
export const URL_CONTEXT = 'monitoring.alert_webhooks.url';

/** The SecretBox of the webhook targets, from ALERT_WEBHOOK_SECRET_KEY (or the JWT secret). */
export const WEBHOOK_SECRET_BOX: Provider = {
  provide: SecretBox,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => SecretBox.fromEnv(config.env),
};
