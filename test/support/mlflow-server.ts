import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface MlflowServer {
  url: string;
  version: string;
  stop: () => Promise<void>;
}

const PYTHON = process.env.PYTHON ?? 'python3';

/**
 * Runs the server in its own process group and takes the whole group down when told to (SIGTERM)
 * or when its parent (the Jest worker) dies without cleaning up, so a killed test run leaves no
 * MLflow server, uvicorn or huey workers behind.
 */
const WATCHDOG = `
import os, signal, subprocess, sys, time
parent = os.getppid()
child = subprocess.Popen(sys.argv[1:], start_new_session=True)
def stop(*_):
    try: os.killpg(child.pid, signal.SIGTERM)
    except ProcessLookupError: pass
    try: child.wait(8)
    except subprocess.TimeoutExpired:
        try: os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError: pass
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while child.poll() is None:
    if os.getppid() != parent: stop()
    time.sleep(0.5)
sys.exit(child.returncode)
`;

/** MLflow's version if the Python package imports, else null. */
function mlflowVersion(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import mlflow; print(mlflow.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Makes sure MLflow is installed (`pip install mlflow` when it is not; slow the first time), and
 * returns whether it is usable. Only when pip cannot install it do tests skip, with a message.
 */
export function ensureMlflowInstalled(): { ok: true; version: string } | { ok: false; reason: string } {
  const present = mlflowVersion();
  if (present) return { ok: true, version: present };
  const pip = spawnSync(PYTHON, ['-m', 'pip', 'install', '--quiet', 'mlflow'], {
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
  const installed = mlflowVersion();
  if (installed) return { ok: true, version: installed };
  return { ok: false, reason: `pip install mlflow failed: ${(pip.stderr || pip.error?.message || '').slice(-500)}` };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway MLflow tracking server: SQLite backend store and artifacts served by the tracking
 * server itself (`--serve-artifacts`, exposed at /api/2.0/mlflow-artifacts/artifacts/...), in a
 * temporary directory removed on stop.
 */
export async function startMlflowServer(version: string): Promise<MlflowServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mlflow-'));
  const port = await freePort();
  const args = [
    '-c',
    WATCHDOG,
    PYTHON,
    '-m',
    'mlflow',
    'server',
    '--backend-store-uri',
    `sqlite:///${join(dir, 'mlflow.db')}`,
    '--serve-artifacts',
    '--artifacts-destination',
    join(dir, 'artifacts'),
    '--default-artifact-root',
    'mlflow-artifacts:/',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    '1',
  ];
  let output = '';
  const child: ChildProcess = spawn(PYTHON, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MLFLOW_HOME: dir },
  });
  child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM'); // the watchdog stops the server's whole process group
      await Promise.race([exited, new Promise((r) => setTimeout(r, 12_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return { url, version, stop };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  await stop();
  throw new Error(`mlflow server did not become healthy on ${url}:\n${output}`);
}
