import { ModuleSchemas1764100000000 } from './1764100000000-module-schemas';
import { AuthTables1764100001000 } from './1764100001000-auth-tables';
import { DataTables1764100002000 } from './1764100002000-data-tables';
import { RegistryTables1764100003000 } from './1764100003000-registry-tables';
import { TrainingJobs1764100004000 } from './1764100004000-training-jobs';
import { InferenceTables1764100005000 } from './1764100005000-inference-tables';
import { DropPredictionIdIndex1764100006000 } from './1764100006000-drop-prediction-id-index';
import { PredictionLogJsonBrin1764100007000 } from './1764100007000-prediction-log-json-brin';
import { PredictionLogModelTimeIndex1764100008000 } from './1764100008000-prediction-log-model-time-index';
import { FeedbackAudit1764100009000 } from './1764100009000-feedback-audit';
import { TrainingJobWorker1764100010000 } from './1764100010000-training-job-worker';
import { UserPasswordChange1764100011000 } from './1764100011000-user-password-change';
import { MonitoringBuckets1764100012000 } from './1764100012000-monitoring-buckets';
import { MonitoringAlerts1764100013000 } from './1764100013000-monitoring-alerts';
import { PredictionShadowLink1764100014000 } from './1764100014000-prediction-shadow-link';
import { MonitoringBucketsHourly1764100015000 } from './1764100015000-monitoring-buckets-hourly';
import { MonitoringResultsSeriesIndex1764100016000 } from './1764100016000-monitoring-results-series-index';
import { AlertWebhookSealedSecrets1764100017000 } from './1764100017000-alert-webhook-sealed-secrets';

/** Every migration in order; `npm run migration:generate` prints the class to add here. */
export const ALL_MIGRATIONS = [
  ModuleSchemas1764100000000,
  AuthTables1764100001000,
  DataTables1764100002000,
  RegistryTables1764100003000,
  TrainingJobs1764100004000,
  InferenceTables1764100005000,
  DropPredictionIdIndex1764100006000,
  PredictionLogJsonBrin1764100007000,
  PredictionLogModelTimeIndex1764100008000,
  FeedbackAudit1764100009000,
  TrainingJobWorker1764100010000,
  UserPasswordChange1764100011000,
  MonitoringBuckets1764100012000,
  MonitoringAlerts1764100013000,
  PredictionShadowLink1764100014000,
  MonitoringBucketsHourly1764100015000,
  MonitoringResultsSeriesIndex1764100016000,
  AlertWebhookSealedSecrets1764100017000,
];
