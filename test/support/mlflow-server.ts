import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './repo-root';

export interface MlflowServer {
  url: string;
  version: string;
  stop: () => Promise<void>;
}

/** The command that installs the pinned MLflow into the project's virtual environment. */
export const INSTALL_COMMAND = 'bash scripts/install-mlflow.sh';
const INSTALL_SCRIPT = join(REPO_ROOT, 'scripts/install-mlflow.sh');

/** The MLflow version scripts/install-mlflow.sh pins (the one pin: compose and docs follow it). */
export function pinnedMlflowVersion(): string {
  const pin = /^MLFLOW_VERSION=(\S+)$/m.exec(readFileSync(INSTALL_SCRIPT, 'utf8'))?.[1];
  if (!pin) throw new Error(`no MLFLOW_VERSION=<version> line in ${INSTALL_SCRIPT}`);
  return pin;
}

/** The pinned MLflow, installed: its version and the interpreter of its virtual environment. */
export interface MlflowInstall {
  version: string;
  python: string;
}

/**
 * Makes sure the pinned MLflow is in the project's virtual environment: runs the install script,
 * which returns at once when it is (about a minute the first time), and returns the version. When
 * it cannot, throws, with the script's output and the command, so the MLflow tests fail, never skip.
 */
export function ensureMlflowInstalled(env: NodeJS.ProcessEnv = process.env): MlflowInstall {
  const run = spawnSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', env, timeout: 15 * 60_000 });
  if (run.status !== 0) {
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().slice(-1500) || run.error?.message;
    throw new Error(
      `MLflow ${pinnedMlflowVersion()} could not be installed for the MLflow tests (${INSTALL_COMMAND} ` +
        `exited ${run.status ?? run.signal}):\n${output}\nRun \`${INSTALL_COMMAND}\` to install it ` +
        '(needs python3 with venv and access to PyPI).',
    );
  }
  // The folder the script installed into (MLFLOW_VENV, relative to the repository, as it reads it).
  return {
    version: pinnedMlflowVersion(),
    python: resolve(REPO_ROOT, env.MLFLOW_VENV ?? '.venv-mlflow', 'bin/python'),
  };
}

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
export async function startMlflowServer({ version, python }: MlflowInstall): Promise<MlflowServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mlflow-'));
  const port = await freePort();
  const args = [
    '-c',
    WATCHDOG,
    python,
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
  const child: ChildProcess = spawn(python, args, {
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
  throw new Error(
    `mlflow server did not become healthy on ${url} (is MLflow installed? ${INSTALL_COMMAND}):\n${output}`,
  );
}
