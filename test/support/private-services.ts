import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';

/**
 * PostgreSQL and Redis instances that one test starts, kills and restarts, never the machine's
 * shared ones: the outage tests take them down under load. Each on a free port of its own.
 */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

/** A redis-server without persistence: a stop loses its data, as a crashed cache would. */
export class PrivateRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.up();
    return redis;
  }

  async up(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(
      'redis-server',
      async () => {
        const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        probe.on('error', () => undefined); // refused while the server starts: the next poll retries
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      },
      10_000,
    );
  }

  /** SIGKILL: clients see their connections drop, as in a crash. */
  async down(): Promise<void> {
    if (!this.child) return;
    const child = this.child;
    this.child = undefined;
    child.kill('SIGKILL');
    await exited(child);
  }
}

const PG_BIN = (() => {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    return '/usr/lib/postgresql/15/bin';
  }
})();

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user. */
function asServerUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
  return { uid, gid };
}

/**
 * A PostgreSQL cluster of its own (initdb). fsync is off (its data is thrown away with it, and a
 * killed server loses nothing the OS already holds); commits stay synchronous, or a kill would
 * lose the last acknowledged ones and the tests could not tell that from the app losing them.
 */
export class PrivatePostgres {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  /** Connection variables for the app and for test clients. */
  env(database = 'postgres'): Record<string, string> {
    return { PGHOST: '127.0.0.1', PGPORT: String(this.port), PGUSER: 'postgres', PGDATABASE: database };
  }

  static async start(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'mlapi-private-pg-'));
    const user = asServerUser();
    if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!);
    execFileSync(join(PG_BIN, 'initdb'), ['-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], {
      stdio: 'ignore',
      ...user,
    });
    const pg = new PrivatePostgres(await freePort(), dir);
    await pg.up();
    return pg;
  }

  /** A cluster holding the database `name`, with every migration applied: what the app needs to start. */
  static async startMigrated(name = 'mlapi'): Promise<PrivatePostgres> {
    const pg = await PrivatePostgres.start();
    const admin = new Client(pg.clientConfig());
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const ds = new DataSource(dataSourceOptions(loadConfig({ ...pg.env(name), NODE_ENV: 'test' })));
    await ds.initialize();
    try {
      await ds.runMigrations();
    } finally {
      await ds.destroy();
    }
    return pg;
  }

  async up(): Promise<void> {
    this.child = spawn(
      join(PG_BIN, 'postgres'),
      [
        '-D',
        join(this.dir, 'data'),
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${this.dir}`,
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'shared_buffers=64MB',
      ],
      { stdio: 'ignore', ...asServerUser() },
    );
    await waitFor(
      'postgres',
      async () => {
        const c = new Client({ ...this.clientConfig(), connectionTimeoutMillis: 1000 });
        try {
          await c.connect();
          return true;
        } finally {
          await c.end().catch(() => undefined);
        }
      },
      30_000,
    );
  }

  clientConfig(database = 'postgres') {
    return { host: '127.0.0.1', port: this.port, user: 'postgres', database };
  }

  /** SIGKILL of the postmaster and its backends: connections drop as in a crash; the data stays. */
  async down(): Promise<void> {
    if (!this.child) return;
    const child = this.child;
    this.child = undefined;
    const backends = execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    child.kill('SIGKILL');
    for (const pid of backends.filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await exited(child);
    // The next start removes the stale postmaster.pid once no process holds the shared memory.
  }

  async destroy(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
