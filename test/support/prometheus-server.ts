import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { freePort } from './worker-process';

/** The path of a program Debian's `prometheus` package installs; throws, naming the install, when missing. */
export function prometheusBinary(name: 'prometheus' | 'promtool'): string {
  const found = spawnSync('bash', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path)
    throw new Error(
      `${name} not found: install Debian's prometheus package (bash scripts/install-prometheus.sh, which scripts/setup.sh runs)`,
    );
  return path;
}

interface ScrapeJob {
  job_name: string;
  authorization?: { type?: string; credentials_file?: string };
  dns_sd_configs?: unknown;
  static_configs?: { targets: string[] }[];
}

/**
 * The shipped prometheus.yml with its jobs kept (paths, authorization, settings) and only what
 * cannot hold here replaced: each job's service discovery by this machine's targets, the token
 * file's path, and a 1 s scrape interval so a test need not wait 15 s per sample.
 */
export function localConfig(shipped: string, targets: Record<string, string>, tokenFile: string): string {
  const config = load(shipped) as { global: Record<string, string>; scrape_configs: ScrapeJob[] };
  config.global = { ...config.global, scrape_interval: '1s', evaluation_interval: '1s' };
  for (const job of config.scrape_configs) {
    const target = targets[job.job_name];
    if (!target) throw new Error(`no local target for the job ${job.job_name}`);
    delete job.dns_sd_configs;
    job.static_configs = [{ targets: [target] }];
    if (job.authorization?.credentials_file) job.authorization.credentials_file = tokenFile;
  }
  return dump(config);
}

export interface PrometheusServer {
  url: string;
  /** An instant query's result vector (throws on a query error). */
  query: (expr: string) => Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  /** Each active target's job and health ("up", "down", "unknown") and its last error. */
  targets: () => Promise<{ job: string; health: string; lastError: string }[]>;
  stop: () => Promise<void>;
}

/** A real Prometheus on a free port of 127.0.0.1, its data in `dir`, started with `config`. */
export async function startPrometheus(config: string, dir: string): Promise<PrometheusServer> {
  const binary = prometheusBinary('prometheus');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (i === 300) {
      await stop();
      throw new Error(`prometheus not ready after 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error}`);
    return body.data;
  };
  return {
    url,
    query: async (expr) =>
      (await api<{ resultType: string; result: any[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    targets: async () =>
      (await api<{ activeTargets: any[] }>('/api/v1/targets?state=active')).activeTargets.map((t) => ({
        job: t.labels.job,
        health: t.health,
        lastError: t.lastError,
      })),
    stop,
  };
}
