import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { echoWhenAsked, printedLogLevel } from './log-level';
import type { TestApp } from './test-app';

const ROOT = join(__dirname, '../..');

/**
 * A real worker process (APP_ROLE=worker, src/worker.ts under ts-node) on the test app's database
 * and Redis prefix, so a test can kill it mid-job like a crashed container.
 */
export async function startWorkerProcess(t: TestApp, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/ts-node/dist/bin.js'), '--transpile-only', join(ROOT, 'src/worker.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PGDATABASE: t.database,
        REDIS_PREFIX: t.config.env.REDIS_PREFIX,
        JWT_SECRET: t.config.env.JWT_SECRET as string,
        DB_MIGRATE_ON_START: 'false',
        LOG_LEVEL: printedLogLevel(),
        // Off unless a test asks for it: workers of parallel test files would all want 9464.
        WORKER_METRICS_PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  echoWhenAsked(child);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
  return child;
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    // A process killed by a signal has signalCode set and exitCode null; 'exit' will not come again.
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A TCP port free at the time of asking (for a worker's metrics port; another process could take it meanwhile). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
