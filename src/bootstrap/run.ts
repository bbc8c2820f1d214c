import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';
import { createHttpApp, createWorkerContext } from './create-app';

/** The validated configuration, or exit 78 (EX_CONFIG) with the message naming each bad variable. */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(source);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** enableShutdownHooks closes the app on SIGTERM/SIGINT; this bounds how long that may take (SIGTERM drains first). */
function boundShutdown(config: AppConfig): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const drain = signal === 'SIGTERM' && config.env.APP_ROLE !== 'worker' ? config.env.SHUTDOWN_DRAIN_MS : 0;
    process.once(signal, () => setTimeout(() => process.exit(1), drain + config.env.SHUTDOWN_TIMEOUT_MS).unref());
  }
}

/** The HTTP role (APP_ROLE=api), with the worker role in the same process when APP_ROLE=all. */
export async function runHttp(config: AppConfig): Promise<void> {
  boundShutdown(config);
  const app = await createHttpApp({ config });
  await app.listen({ port: config.env.PORT, host: config.env.HOST });
  const url = `http://localhost:${config.env.PORT}`;
  process.stdout.write(
    `ML API (${config.env.APP_ROLE}) listening: Swagger UI ${url}/docs · health ${url}/health/ready\n`,
  );
}

/** The worker role alone: queue processors, schedules and the heartbeat; no HTTP. */
export async function runWorker(config: AppConfig): Promise<void> {
  boundShutdown(config);
  await createWorkerContext({ config });
  process.stdout.write('ML API worker started (queue processors, schedules, heartbeat)\n');
}

export function exitOnStartFailure(err: unknown): never {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
}
