// First: V8 flags must be set before the app's code allocates (see the module).
import './bootstrap/v8-flags';
import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { createHttpApp, createWorkerContext } from './bootstrap/create-app';

/** Entry point of all three roles (APP_ROLE=all|api|worker). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  if (!config.runsHttp) {
    await createWorkerContext({ config });
    process.stdout.write('ML API worker started (queue processors and schedulers)\n');
  }
  const stopTimeout = config.env.SHUTDOWN_TIMEOUT_MS;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // enableShutdownHooks closes the app; this only bounds how long that may take.
      setTimeout(() => process.exit(1), stopTimeout).unref();
    });
  }
  if (config.runsHttp) {
    const app = await createHttpApp({ config });
    await app.listen({ port: config.env.PORT, host: config.env.HOST });
    const url = `http://localhost:${config.env.PORT}`;
    process.stdout.write(`ML API (${config.env.APP_ROLE}) listening: Swagger UI ${url}/docs · health ${url}/health/ready\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
