import { ConfigError, loadConfig } from './app-config';

const STRONG = 'x'.repeat(40);

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config.env.PORT).toBe(3000);
    expect(config.env.APP_ROLE).toBe('all');
    expect(config.migrateOnStart).toBe(true);
    expect(config.runsHttp && config.runsWorkers).toBe(true);
  });

  it('names each invalid variable', () => {
    const found = problems({ PORT: 'eighty', APP_ROLE: 'boss', REDIS_URL: 'x', DB_POOL_SIZE: '0' });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['APP_ROLE', 'DB_POOL_SIZE', 'PORT']);
  });

  it('refuses a missing, short or default JWT secret in production', () => {
    expect(problems({ NODE_ENV: 'production' })[0]).toMatch(/^JWT_SECRET: /);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'short' }).join()).toMatch(/JWT_SECRET/);
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: 'dev-secret-change-me-please-0000000' })[0]).toMatch(
      /JWT_SECRET/,
    );
    expect(problems({ NODE_ENV: 'production', JWT_SECRET: STRONG })).toEqual([]);
  });

  it('turns auto-migration off in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG }).migrateOnStart).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, DB_MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(
      true,
    );
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '' }).env.PORT).toBe(3000);
  });

  it('requires paired settings together', () => {
    expect(problems({ ADMIN_EMAIL: 'a@b.co' }).join()).toMatch(/ADMIN_PASSWORD/);
    expect(problems({ DB_SSL: 'verify-full' }).join()).toMatch(/DB_SSL_CA_FILE/);
  });

  it('parses CORS origins', () => {
    expect(loadConfig({}).corsOrigins).toBe(false);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('trusts no proxy by default, and a hop count or addresses when told', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'none' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8, loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      'loopback',
    ]);
    for (const bad of ['true', 'all', '10.0.0.0/33', '10.0.0', 'proxy.example.com', '1,', '101'])
      expect(problems({ TRUST_PROXY: bad }).join()).toMatch(/^TRUST_PROXY: /);
  });

  it('serves Swagger UI outside production, and in production only when SWAGGER_UI enables it', () => {
    expect(loadConfig({}).swaggerUi).toBe(true);
    expect(loadConfig({ SWAGGER_UI: 'false' }).swaggerUi).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG }).swaggerUi).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: STRONG, SWAGGER_UI: 'true' }).swaggerUi).toBe(true);
  });

  it('keeps the account-wide login backoff above the per-address lock', () => {
    expect(problems({ LOGIN_ACCOUNT_BACKOFF_AFTER: '5' }).join()).toMatch(/^LOGIN_ACCOUNT_BACKOFF_AFTER: /);
    expect(problems({ LOGIN_ACCOUNT_BACKOFF_AFTER: '6', LOGIN_MAX_FAILURES_PER_ADDRESS: '5' })).toEqual([]);
  });
});
