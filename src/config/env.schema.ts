import { z } from 'zod';
import { parseTrustProxy } from './trust-proxy';

/**
 * Every environment variable the app reads, validated once at boot. The README's configuration
 * table is generated from the same list, so keep `describe()` texts short and exact.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/** A 32-byte key in base64 (44 characters, one `=`), as `openssl rand -base64 32` prints it. */
const base64Key = z
  .string()
  .trim()
  .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v), 'must be 32 bytes in base64 (openssl rand -base64 32)');

export const WEAK_JWT_SECRETS = new Set(['change-me', 'changeme', 'secret', 'dev-secret-change-me-please-0000000']);
export const DEV_JWT_SECRET = 'dev-secret-change-me-please-0000000';

export const envSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'])
      .default('development')
      .describe(
        'Runtime environment; `production` enforces a strong JWT secret and disables auto-migration by default.',
      ),
    APP_ROLE: z
      .enum(['all', 'api', 'worker'])
      .default('all')
      .describe(
        'What this process runs: HTTP API, queue workers and schedulers (`all`), HTTP only (`api`) or workers only (`worker`).',
      ),
    PORT: int(0, 65535).default(3000).describe('HTTP port.'),
    HOST: z.string().default('0.0.0.0').describe('HTTP bind address.'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('pino log level.'),
    BODY_LIMIT_BYTES: int(1024).default(1_048_576).describe('Largest accepted JSON body; larger bodies get 413.'),
    CORS_ORIGINS: z
      .string()
      .default('')
      .describe('Comma-separated allowed CORS origins; empty disables CORS, `*` allows any.'),
    TRUST_PROXY: z
      .string()
      .default('none')
      .refine(
        (v) => parseTrustProxy(v) !== null,
        'must be none, a hop count (e.g. 1) or comma-separated addresses/CIDRs',
      )
      .describe(
        'Which proxies may set X-Forwarded-For (the client address used for login throttling and sessions): `none` (the socket peer is the client), a hop count (`1` behind Azure Container Apps’ ingress), or the proxies’ comma-separated addresses/CIDRs.',
      ),
    SWAGGER_UI: bool
      .optional()
      .describe(
        'Serve Swagger UI at `/docs` and the OpenAPI document at `/docs-json`, without a token; default on outside production, off in production.',
      ),
    DEPENDENCY_CHECK_MS: int(100)
      .default(2_000)
      .describe(
        'How often each HTTP replica checks PostgreSQL and Redis in the background (`/health`, `mlapi_dependency_up`).',
      ),
    DEPENDENCY_CHECK_TIMEOUT_MS: int(50)
      .default(1_000)
      .describe('How long one background check of PostgreSQL or Redis may take before it counts as down.'),
    SHUTDOWN_DRAIN_MS: int(0)
      .default(5_000)
      .describe(
        'On SIGTERM, how long `/health/ready` answers 503 (requests still served) before the HTTP server closes, so a load balancer stops sending first.',
      ),
    SHUTDOWN_TIMEOUT_MS: int(0)
      .default(10_000)
      .describe('How long graceful shutdown waits for in-flight work, after the drain; then the process exits.'),
    WORKER_HEARTBEAT_MS: int(100)
      .default(5_000)
      .describe(
        'How often a worker writes its heartbeat to Redis; `/health/ready` lists workers seen within 3 intervals.',
      ),
    WORKER_METRICS_PORT: int(0, 65535)
      .default(9464)
      .describe(
        'Port of a worker process’s own Prometheus `/metrics` (APP_ROLE=worker; queues and training jobs), without authentication: keep it internal; `0` turns it off. With APP_ROLE=all the api’s `/metrics` has everything.',
      ),
    WORKER_METRICS_HOST: z
      .string()
      .default('0.0.0.0')
      .describe(
        'Bind address of the worker’s `/metrics` port; `127.0.0.1` lets only a collector in the same pod or container group scrape it.',
      ),

    DATABASE_URL: z.string().url().optional().describe('PostgreSQL URL; overrides the discrete PG* variables.'),
    PGHOST: z.string().default('127.0.0.1').describe('PostgreSQL host (when DATABASE_URL is not set).'),
    PGPORT: int(1, 65535).default(5432).describe('PostgreSQL port.'),
    PGUSER: z.string().default('postgres').describe('PostgreSQL user.'),
    PGPASSWORD: z.string().default('').describe('PostgreSQL password.'),
    PGDATABASE: z.string().default('mlapi').describe('PostgreSQL database.'),
    DB_SSL: z
      .enum(['disable', 'require', 'verify-full'])
      .default('disable')
      .describe(
        'TLS to PostgreSQL: `require` (encrypt) or `verify-full` (encrypt and verify; Azure Database for PostgreSQL).',
      ),
    DB_SSL_CA_FILE: z
      .string()
      .optional()
      .describe('CA certificate file for `DB_SSL=verify-full` (e.g. DigiCert Global Root G2 for Azure).'),
    DB_POOL_SIZE: int(1, 500).default(10).describe('PostgreSQL connection pool size per process.'),
    DB_CONNECT_TIMEOUT_MS: int(100, 60_000)
      .default(1_500)
      .describe(
        'How long a request waits for a PostgreSQL connection (a new one, or a free one of the pool); then it answers 503 `common.dependency_unavailable`.',
      ),
    DB_MIGRATE_ON_START: bool
      .optional()
      .describe('Apply pending migrations at start; default true outside production.'),

    REDIS_URL: z
      .string()
      .default('redis://127.0.0.1:6379')
      .describe('Redis URL (`rediss://` for TLS, e.g. Azure Cache for Redis).'),
    REDIS_PREFIX: z
      .string()
      .default('mlapi')
      .describe('Prefix of every Redis key and channel, so several deployments can share one Redis.'),
    REDIS_RECONNECT_MAX_MS: int(100, 60_000)
      .default(2_000)
      .describe(
        "Longest wait between two reconnection attempts to Redis (200 ms more each attempt), for the app's connections and Bull's: queues resume this soon after Redis returns.",
      ),

    JWT_SECRET: z.string().optional().describe('HS256 signing secret (>= 32 bytes; required in production).'),
    JWT_PRIVATE_KEY_FILE: z
      .string()
      .optional()
      .describe('PEM private key; with JWT_PUBLIC_KEY_FILE switches tokens to RS256.'),
    JWT_PUBLIC_KEY_FILE: z.string().optional().describe('PEM public key for RS256 verification.'),
    JWT_ISSUER: z.string().default('ml-api').describe('`iss` claim issued and required.'),
    JWT_AUDIENCE: z.string().default('ml-api').describe('`aud` claim issued and required.'),
    JWT_ACCESS_TTL_SECONDS: int(30, 86_400).default(900).describe('Access token lifetime.'),
    API_TOKEN_CACHE_MS: int(0)
      .default(60_000)
      .describe(
        'How long a verified API token is trusted without reading PostgreSQL again (revocations clear it at once on every replica).',
      ),
    REFRESH_TTL_SECONDS: int(60)
      .default(30 * 86_400)
      .describe('Refresh token (session) lifetime.'),
    AUTH_COOKIE_SECURE: bool
      .default('false')
      .describe(
        "Mark the browser session's cookies `Secure` on every request; otherwise only on requests that came over HTTPS (as TRUST_PROXY reads X-Forwarded-Proto).",
      ),
    AUTH_OPEN_REGISTRATION: bool
      .default('false')
      .describe('Let anyone register as `consumer`; otherwise only admins create users.'),
    LOGIN_MAX_PER_IP: int(1).default(20).describe('Login attempts per IP per LOGIN_WINDOW_SECONDS.'),
    LOGIN_MAX_FAILURES_PER_ADDRESS: int(1)
      .default(5)
      .describe(
        'Failed logins for one account from one address per LOGIN_WINDOW_SECONDS; then that address may not try that account until the window ends (others still may).',
      ),
    LOGIN_ACCOUNT_BACKOFF_AFTER: int(2)
      .default(20)
      .describe(
        'Failed logins of one account from all addresses per LOGIN_WINDOW_SECONDS after which each further failure makes the account wait 1 s, 2 s, 4 s … before its next attempt; must exceed LOGIN_MAX_FAILURES_PER_ADDRESS.',
      ),
    LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS: int(1, 3600)
      .default(60)
      .describe('Longest wait of the account-wide login backoff.'),
    LOGIN_WINDOW_SECONDS: int(1).default(900).describe('Login throttling window.'),
    ADMIN_EMAIL: z.string().email().optional().describe('First admin, created at start when no admin exists.'),
    ADMIN_PASSWORD: z.string().min(12).optional().describe('Password of ADMIN_EMAIL (>= 12 characters).'),

    // data: CSV imports
    IMPORT_MAX_REJECTED_SHARE: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.01)
      .describe(
        'Largest share of rows an import may reject (values not fitting the schema) and still create a version; above it nothing is imported. Overridable per import.',
      ),
    IMPORT_MISSING_TOKENS: z
      .string()
      .default('NA,null')
      .describe('Comma-separated cell values read as missing (an empty field always is). Overridable per import.'),
    IMPORT_MAX_UPLOAD_BYTES: int(1)
      .default(10 * 1024 ** 3)
      .describe('Largest CSV upload accepted over HTTP; larger uploads get 413.'),
    IMPORT_TMP_DIR: z
      .string()
      .optional()
      .describe('Where HTTP uploads are spooled before their background import; default the OS temp dir.'),

    // registry: experiment tracking, model registry, quality gate, MLflow mirror
    GIT_SHA: z
      .string()
      .optional()
      .describe('Code version recorded on every run; default: `git rev-parse HEAD` at start, else `unknown`.'),
    ARTIFACT_STORE: z
      .enum(['postgres'])
      .default('postgres')
      .describe(
        'Where run artifacts (model bundles) are stored: `postgres` (bytea in schema registry). Azure Blob is a planned second store.',
      ),
    GATE_MIN_METRICS: z
      .string()
      .regex(
        /^\s*([A-Za-z0-9_.\-/ ]+\s*(>=|<=|=)\s*-?\d+(\.\d+)?(e-?\d+)?\s*(,\s*|$))*$/i,
        'must look like roc_auc>=0.7,rmse<=4 (name=x means >=)',
      )
      .default('')
      .describe('Minimum metrics a version needs to take an alias, e.g. `roc_auc>=0.7,rmse<=4` (`name=x` means `>=`).'),
    GATE_PRIMARY_METRIC: z
      .string()
      .default('roc_auc,rmse')
      .describe(
        'Metric(s) compared with the version holding the alias; the first one the candidate has is used. Names with loss/error/rmse/mse/mae are lower-is-better.',
      ),
    GATE_MAX_REGRESSION: z.coerce
      .number()
      .min(0)
      .default(0.01)
      .describe('How much worse than the current holder, on the primary metric, a candidate may be.'),
    GATE_ON_DIFFERENT_DATA: z
      .enum(['warn', 'refuse'])
      .default('warn')
      .describe(
        'When candidate and holder were evaluated on different held-out data: compare anyway and warn in the audit (`warn`) or refuse unless an admin forces (`refuse`).',
      ),
    MLFLOW_TRACKING_URI: z
      .string()
      .regex(/^(https?|azureml):\/\//, 'must be an http(s):// or azureml:// URI')
      .optional()
      .describe(
        'MLflow tracking server to mirror experiments, runs and the model registry to; unset disables mirroring. `azureml://` URIs (Azure ML workspace) are called over https.',
      ),
    MLFLOW_AUTH: z
      .enum(['auto', 'none', 'token', 'azure'])
      .default('auto')
      .describe(
        'MLflow authentication: bearer MLFLOW_TOKEN (`token`), Azure AD via @azure/identity DefaultAzureCredential (`azure`), none, or `auto` (token if set, azure for azureml:// URIs).',
      ),
    MLFLOW_TOKEN: z.string().optional().describe('Bearer token for the MLflow server (never logged).'),
    MLFLOW_AZURE_SCOPE: z
      .string()
      .default('https://management.azure.com/.default')
      .describe('OAuth scope requested from DefaultAzureCredential for an Azure ML MLflow endpoint.'),
    MLFLOW_TIMEOUT_MS: int(100).default(15_000).describe('Timeout of one MLflow REST call.'),
    MLFLOW_MIRROR_ATTEMPTS: int(1, 100)
      .default(8)
      .describe(
        'Attempts of one mirror job before the run is marked `failed` (re-mirror with POST /runs/{id}/mirror).',
      ),
    MLFLOW_MIRROR_BACKOFF_MS: int(10)
      .default(2_000)
      .describe('First retry delay of a mirror job; doubles each attempt (exponential backoff).'),

    TRAINING_CONCURRENCY: int(1, 64)
      .default(1)
      .describe('Training jobs run at once per worker process (each uses one core).'),
    TRAINING_ATTEMPTS: int(1, 20)
      .default(3)
      .describe('Attempts per training job for infrastructure failures (bad parameters fail at once).'),
    TRAINING_BACKOFF_MS: int(0)
      .default(5000)
      .describe('First retry delay of a failed training job; doubles each attempt.'),
    TRAINING_LOCK_MS: int(1000)
      .default(30_000)
      .describe('A job whose worker stops renewing its lock this long is retried elsewhere (lost worker).'),
    TRAINING_ENQUEUE_TIMEOUT_MS: int(100)
      .default(2_000)
      .describe(
        'Longest wait for Redis to queue a submitted training job; then `POST /training-jobs` answers 503 and a worker queues the recorded job later.',
      ),
    TRAINING_RECONCILE_INTERVAL_MS: int(100)
      .default(30_000)
      .describe(
        'How often each worker checks that every queued or running training job has its queue entry, and queues the ones that lost it.',
      ),
    TRAINING_RECONCILE_AFTER_MS: int(0)
      .default(60_000)
      .describe('How long a queued training job may go unchanged before the check looks for its queue entry.'),
    RETRAIN_SCHEDULES: z
      .string()
      .default('')
      .describe(
        'Scheduled retraining: `model=cron;model2=cron` (e.g. `credit=0 3 * * *`); retrains the production recipe on the newest data.',
      ),
    RETRAIN_AUTO_PROMOTE: bool
      .default('false')
      .describe(
        'Let a scheduled retrain move `production` (through the gate); otherwise it only becomes `challenger`.',
      ),

    // monitoring: alerts and their webhooks
    ALERT_EVALUATION_INTERVAL_MS: int(1000)
      .default(60_000)
      .describe(
        "How often a worker evaluates the alert rules (a repeatable job, one evaluation at a time across workers); a rule's window may not be shorter.",
      ),
    ALERT_RULES_DEFAULT: z
      .string()
      .default('builtin')
      .describe(
        'Alert rules seeded at a worker\'s start, each name once (an admin\'s change or deletion sticks): `builtin` (README, "Alerts"), `none`, or a JSON array of rules as `POST /alerts/rules` takes them.',
      ),
    ALERT_WEBHOOKS: z
      .string()
      .regex(
        /^\s*((json|slack|teams)=https?:\/\/[^\s,]+\s*(,\s*|$))*$/,
        'must look like slack=https://hooks.slack.com/services/…,json=https://ops.example/hook',
      )
      .default('')
      .describe(
        'Webhook targets of every alert besides the admin-managed ones: `format=url`, comma-separated, format `json`, `slack` or `teams`.',
      ),
    ALERT_WEBHOOK_SECRET: z
      .string()
      .min(16)
      .optional()
      .describe(
        'HMAC key that signs deliveries to the ALERT_WEBHOOKS targets (required with them; at least 16 characters).',
      ),
    ALERT_WEBHOOK_SECRET_KEY: base64Key
      .optional()
      .describe(
        "AES-256-GCM key (32 bytes, base64) that seals the admin-managed webhooks' signing secrets and URLs in PostgreSQL; unset: derived from the JWT secret with HKDF (a new JWT secret then makes them unreadable). E.g. `openssl rand -base64 32`.",
      ),
    ALERT_WEBHOOK_SECRET_KEYS_OLD: z
      .string()
      .regex(/^\s*([A-Za-z0-9+/]{43}=\s*(,\s*|$))*$/, 'must be comma-separated base64 keys of 32 bytes')
      .optional()
      .describe(
        'Earlier ALERT_WEBHOOK_SECRET_KEY values (comma-separated), to open what they sealed; each replica seals those rows again under the current key at start.',
      ),
    ALERT_WEBHOOK_TIMEOUT_MS: int(100, 60_000)
      .default(5_000)
      .describe('Longest wait for a webhook receiver to answer one delivery; then the attempt failed.'),
    ALERT_WEBHOOK_ATTEMPTS: int(1, 50)
      .default(8)
      .describe('Attempts per webhook delivery (a non-2xx answer, a timeout or a refused connection fails one).'),
    ALERT_WEBHOOK_BACKOFF_MS: int(0)
      .default(2_000)
      .describe('First retry delay of a failed webhook delivery; doubles each attempt.'),
    ALERT_WEBHOOK_CONCURRENCY: int(1, 100)
      .default(8)
      .describe("Webhook deliveries sent at once per worker; each target's delivery is its own job."),
    ALERT_WEBHOOK_ALLOW_PRIVATE: bool
      .optional()
      .describe(
        'Allow webhook URLs whose host resolves to a loopback or private address; default on outside production, off in production. Link-local and metadata addresses are always refused.',
      ),
    ALERT_COUNTS_FLUSH_MS: int(100)
      .default(15_000)
      .describe(
        'How often each HTTP replica adds its prediction outcome and log-drop counts to `monitoring.replica_counts` (what the error-rate and log-drop rules read).',
      ),

    // monitoring: the dashboard's live stream
    DASHBOARD_TRAFFIC_TICK_MS: int(100, 60_000)
      .default(2_000)
      .describe(
        "How often each HTTP replica publishes its predict traffic (requests, errors, latency quantiles) to the dashboard's live stream; nothing is sent for an interval without predictions.",
      ),
    DASHBOARD_STREAM_HEARTBEAT_MS: int(100, 60_000)
      .default(15_000)
      .describe(
        "How often the dashboard's live stream (`GET /dashboard/stream`) writes a comment line, so proxies and browsers keep an idle stream open.",
      ),

    // monitoring: windows and realised quality
    MONITORING_REALISED_INTERVAL_MS: int(1000)
      .default(300_000)
      .describe(
        'How often a worker recomputes realised quality (predictions joined to their feedback) and the shadow comparison (a repeatable job, one run at a time across workers).',
      ),
    MONITORING_REALISED_LOOKBACK_MS: int(0)
      .default(86_400_000)
      .describe(
        'How far back each realised-quality run recomputes the windows that ended (labels arrive late; every window in it is written again).',
      ),
    MONITORING_REALISED_MIN_LABELLED: int(1)
      .default(30)
      .describe(
        'Fewest labelled predictions a window needs for its realised figures; below it they are stored with verdict `insufficient_data` and no value.',
      ),

    // inference: serving, model cache, prediction log
    INFERENCE_MAX_BATCH: int(1, 100_000)
      .default(1000)
      .describe('Most records in one predict request (`instances`); more gets 413.'),
    INFERENCE_CACHE_SIZE: int(1, 1000)
      .default(8)
      .describe('Model versions kept loaded in memory per process (least recently used is unloaded).'),
    SERVE_STALE_MAX_MS: int(0)
      .default(900_000)
      .describe(
        'While PostgreSQL is unreachable, how long past their freshness a replica keeps using its last known good answers (verified API tokens, alias → version); `mlapi_stale_answers_total` counts the requests so served.',
      ),
    INFERENCE_ALIAS_TTL_MS: int(0)
      .default(60_000)
      .describe('How long a resolved alias is trusted without an alias-moved event (safety net for a missed event).'),
    INFERENCE_LOG_FLUSH_MS: int(10)
      .default(1000)
      .describe('How often buffered predictions are written to the prediction log.'),
    INFERENCE_LOG_BATCH_SIZE: int(1, 50_000)
      .default(1000)
      .describe('Predictions per insert into the log; a full batch is written at once.'),
    INFERENCE_LOG_BUFFER_MAX: int(1)
      .default(100_000)
      .describe(
        'Predictions kept in memory while the database is slow or down; beyond it new ones are dropped (counted and logged).',
      ),
    INFERENCE_LOG_RETENTION_DAYS: int(0)
      .default(90)
      .describe('Days of prediction log kept (daily partitions older are dropped); 0 keeps everything.'),
    INFERENCE_LOG_PARTITIONS_AHEAD: int(1, 366)
      .default(3)
      .describe('Daily partitions of the prediction log created ahead of today.'),
    INFERENCE_LOG_ENABLED: bool
      .default('true')
      .describe(
        'Write answered predictions to the prediction log; `false` only for benchmarks or privacy-restricted models (feedback and monitoring need the log).',
      ),
    INFERENCE_LOG_SAMPLE_RATE: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe(
        'Share of predictions written to the prediction log, drawn per prediction (1: every one). Feedback needs a logged prediction; the monitoring buckets count every prediction whatever the rate.',
      ),
    MONITORING_BUCKETS_ENABLED: bool
      .default('true')
      .describe(
        'Keep per-minute aggregates of every prediction (bin and category counts, probability histograms) for drift and quality, flushed to `monitoring.buckets`.',
      ),
    MONITORING_BUCKETS_PENDING_MAX: int(1)
      .default(20_000)
      .describe(
        'Closed buckets (one per model version, alias and minute) kept in memory while PostgreSQL is slow or down; beyond it the oldest are dropped (counted and logged).',
      ),
    MONITORING_BUCKETS_RETENTION_DAYS: int(0)
      .default(90)
      .describe('Days of monitoring buckets kept (older rows are deleted hourly); 0 keeps everything.'),
    MONITORING_WINDOW_INTERVAL_MS: int(1000)
      .default(60_000)
      .describe(
        'How often a worker computes drift, data quality and estimated quality of every version in service (a repeatable job, one computation at a time across workers).',
      ),
    MONITORING_WINDOW_MS: int(60_000)
      .default(3_600_000)
      .describe(
        'Length of a monitoring window (ms): the drift job computes the last one, ending at the last minute flushed (for alerts), and each window of this length aligned on its multiples since the epoch (UTC) once it has ended; realised quality is computed on the aligned ones, so the two pair up.',
      ),
    MONITORING_WINDOW_MAX_DAYS: int(1, 366)
      .default(7)
      .describe(
        'Longest window `POST /monitoring/models/{name}/drift` computes on demand (its baseline too); a longer one answers 422.',
      ),
    MONITORING_RESULTS_RETENTION_DAYS: int(0)
      .default(90)
      .describe(
        'Days of monitoring results and replica counts kept (`monitoring.results`, `monitoring.replica_counts`; swept hourly by the window job); 0 keeps everything.',
      ),
    MONITORING_MIN_WINDOW_ROWS: int(1)
      .default(100)
      .describe(
        'Predictions a window needs before a drift verdict or an estimated quality is given (fewer: `insufficient_data`).',
      ),
    MONITORING_DRIFT_P_VALUE: z.coerce
      .number()
      .gt(0)
      .lt(1)
      .default(0.05)
      .describe("p-value under which KS, chi-squared and z-tests find drift (Evidently's default, 0.05)."),
    MONITORING_DRIFT_DISTANCE: z.coerce
      .number()
      .gt(0)
      .default(0.1)
      .describe("Normed Wasserstein or Jensen–Shannon distance from which a column drifts (Evidently's default, 0.1)."),
    MONITORING_DRIFT_SHARE: z.coerce
      .number()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe("Share of drifted features from which the dataset drifts (Evidently's drift_share, 0.5)."),
    INFERENCE_MICROBATCH_MAX: int(1, 100_000)
      .default(32)
      .describe(
        'Most rows in one micro-batch: concurrent requests to one model version share one tfjs call up to this size.',
      ),
    INFERENCE_MICROBATCH_WAIT_MS: z.coerce
      .number()
      .min(0)
      .max(100)
      .default(1)
      .describe(
        'Longest a request waits for others to join its micro-batch (ms); 0 = only requests arriving in the same event-loop turn.',
      ),
    INFERENCE_CANARY: z
      .string()
      .regex(
        /^\s*([A-Za-z0-9_.\-]+=(0(\.\d+)?|1(\.0+)?)(:sticky)?\s*(,\s*|$))*$/,
        'must look like credit=0.1 or credit=0.1:sticky,fraud=0.05',
      )
      .default('')
      .describe(
        'Canary share per model, e.g. `credit=0.1` (10% of production traffic answered by the `canary` alias when it exists); `:sticky` keeps each caller on one side.',
      ),
    INFERENCE_SHADOW: z
      .string()
      .regex(/^\s*([A-Za-z0-9_.\-]+\s*(,\s*|$))*$/, 'must be a comma-separated list of model names')
      .default('')
      .describe(
        'Models whose production requests are also scored by the `shadow` alias off the response path (logged with alias `shadow`, never returned), e.g. `credit`.',
      ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_PRIVATE_KEY_FILE) {
      const secret = env.JWT_SECRET;
      if (!secret || Buffer.byteLength(secret) < 32 || WEAK_JWT_SECRETS.has(secret)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['JWT_SECRET'],
          message: 'must be set to a random value of at least 32 bytes in production (not a default)',
        });
      }
    }
    if (env.JWT_SECRET !== undefined && Buffer.byteLength(env.JWT_SECRET) < 32) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['JWT_SECRET'], message: 'must be at least 32 bytes' });
    }
    if (!!env.JWT_PRIVATE_KEY_FILE !== !!env.JWT_PUBLIC_KEY_FILE) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['JWT_PUBLIC_KEY_FILE'],
        message: 'JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE must be set together',
      });
    }
    // Otherwise one address could start the account-wide backoff alone, and slow the owner down.
    if (env.LOGIN_ACCOUNT_BACKOFF_AFTER <= env.LOGIN_MAX_FAILURES_PER_ADDRESS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['LOGIN_ACCOUNT_BACKOFF_AFTER'],
        message: 'must be greater than LOGIN_MAX_FAILURES_PER_ADDRESS',
      });
    }
    if (!!env.ADMIN_EMAIL !== !!env.ADMIN_PASSWORD) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['ADMIN_PASSWORD'],
        message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
      });
    }
    if (env.MLFLOW_AUTH === 'token' && !env.MLFLOW_TOKEN) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['MLFLOW_TOKEN'],
        message: 'is required when MLFLOW_AUTH=token',
      });
    }
    if (env.ALERT_WEBHOOKS.trim() && !env.ALERT_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['ALERT_WEBHOOK_SECRET'],
        message: 'is required when ALERT_WEBHOOKS is set (it signs the deliveries)',
      });
    }
    if (env.DB_SSL === 'verify-full' && !env.DB_SSL_CA_FILE) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DB_SSL_CA_FILE'],
        message: 'is required when DB_SSL=verify-full',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;
