import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEV_JWT_SECRET, envSchema, type Env } from './env.schema';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type JwtKeys =
  { algorithm: 'HS256'; secret: string } | { algorithm: 'RS256'; privateKey: string; publicKey: string };

/** The validated configuration, built once at boot and injected wherever needed. */
export class AppConfig {
  readonly env: Env;
  readonly jwtKeys: JwtKeys;
  readonly migrateOnStart: boolean;
  readonly corsOrigins: string[] | '*' | false;
  /** Fastify's trustProxy: which peers' X-Forwarded-For decides request.ip. */
  readonly trustProxy: TrustProxy;
  /** Swagger UI and /docs-json are served (public) only when on. */
  readonly swaggerUi: boolean;

  constructor(env: Env) {
    this.env = env;
    this.migrateOnStart = env.DB_MIGRATE_ON_START ?? env.NODE_ENV !== 'production';
    this.swaggerUi = env.SWAGGER_UI ?? env.NODE_ENV !== 'production';
    this.trustProxy = parseTrustProxy(env.TRUST_PROXY) ?? false;
    this.jwtKeys = env.JWT_PRIVATE_KEY_FILE
      ? {
          algorithm: 'RS256',
          privateKey: readFileSync(env.JWT_PRIVATE_KEY_FILE, 'utf8'),
          publicKey: readFileSync(env.JWT_PUBLIC_KEY_FILE as string, 'utf8'),
        }
      : { algorithm: 'HS256', secret: env.JWT_SECRET ?? DEV_JWT_SECRET };
    const origins = env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    this.corsOrigins = origins.length === 0 ? false : origins.includes('*') ? '*' : origins;
  }

  get isProduction(): boolean {
    return this.env.NODE_ENV === 'production';
  }

  get runsHttp(): boolean {
    return this.env.APP_ROLE !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.env.APP_ROLE !== 'api';
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings mean "unset" (docker-compose and pipelines often pass `VAR=`).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new ConfigError(formatIssues(parsed.error));
  try {
    return new AppConfig(parsed.data);
  } catch (err) {
    throw new ConfigError([`cannot read a JWT key file: ${(err as Error).message}`]);
  }
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
}
