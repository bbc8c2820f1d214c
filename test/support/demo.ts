import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connectionEnv } from './database';
import { REPO_ROOT } from './repo-root';

export const DEMO_ADMIN = { email: 'admin@example.com', password: 'change-me-admin-123' };

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function output(child: ChildProcessWithoutNullStreams): Promise<Run> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * scripts/demo.ts as scripts/demo.sh runs it, off a terminal (stdout and stderr are pipes),
 * against the app at `baseUrl` on `database`, keeping its state in `stateDir`; `env` adds to it.
 */
export function runDemo(app: { baseUrl: string; database: string }, stateDir: string, env: NodeJS.ProcessEnv = {}) {
  return output(
    spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/demo.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...connectionEnv(),
        PGDATABASE: app.database,
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        API_URL: app.baseUrl,
        ADMIN_EMAIL: DEMO_ADMIN.email,
        ADMIN_PASSWORD: DEMO_ADMIN.password,
        DEMO_EPOCHS: '3',
        DEMO_STATE_DIR: stateDir,
        DEMO_API_LOG: 'logs/api.log',
        DEMO_REUSED: '',
        ...env,
      },
    }),
  );
}
