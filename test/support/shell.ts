import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { REPO_ROOT } from './repo-root';

export interface ShellRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in the repository: a command line through bash, as a reader would type it, or
 * an argument vector as is (a container's command).
 */
export function runShell(command: string | string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ShellRun> {
  const [file, ...args] = typeof command === 'string' ? ['bash', '-c', command] : command;
  const commandLine = typeof command === 'string' ? command : command.join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: REPO_ROOT, env, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      killGroup(child.pid);
      reject(new Error(`${commandLine} still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Stops a server started by `commandLine` (npm, its shell and node: one process group). */
export interface RunningServer {
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts a long-running command line and resolves once `url` answers 200. */
export async function startServer(
  commandLine: string,
  env: NodeJS.ProcessEnv,
  url: string,
  timeoutMs = 60_000,
): Promise<RunningServer> {
  const child = spawn('bash', ['-c', commandLine], { cwd: REPO_ROOT, env, detached: true });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const server: RunningServer = {
    output: () => output,
    stop: async () => {
      if (!gone) killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !gone) {
    const ok = await fetch(url).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return server;
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(
    `${commandLine}: ${url} did not answer 200 ${gone ? '(it exited)' : `within ${timeoutMs} ms`}:\n${output}`,
  );
}

/** The group of a child spawned with `detached: true` is its own pid: bash, npm and node stop together. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
