import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * BENCH_PG_CPUS (a CPU list such as `1`): gives the local PostgreSQL those CPUs and this benchmark
 * (its servers and load generator) the others, as production has PostgreSQL on a host of its own
 * (Azure Database for PostgreSQL): the database's work on each logged row then no longer takes
 * the app's CPU, which on a small machine is most of what logging costs. Backends started later
 * inherit the postmaster's CPUs. Returns what undoes it (every process's CPUs as they were).
 * Needs `taskset` (util-linux) and the right to change PostgreSQL's processes (root, or its user).
 */
export function pinPostgres(cpuList: string): () => void {
  const cpus = parseCpuList(cpuList);
  const all = Array.from({ length: availableParallelism() }, (_, i) => i);
  const rest = all.filter((c) => !cpus.includes(c));
  if (cpus.some((c) => !all.includes(c)) || rest.length === 0) {
    throw new Error(
      `BENCH_PG_CPUS=${cpuList}: name some of CPUs 0-${all.length - 1}, leaving at least one for the benchmark`,
    );
  }
  const pids = postgresPids();
  if (pids.length === 0) throw new Error('BENCH_PG_CPUS: no local PostgreSQL process (pgrep -x postgres) to pin');
  const before = new Map([...pids, process.pid].map((pid) => [pid, affinity(pid)]));
  const restore = () => {
    for (const [pid, list] of before) setAffinity(pid, list, true);
  };
  try {
    for (const pid of pids) setAffinity(pid, cpus.join(','));
    setAffinity(process.pid, rest.join(','));
  } catch (err) {
    restore();
    throw new Error(
      `BENCH_PG_CPUS: could not set the CPUs of PostgreSQL's processes (run as root or as its user): ${(err as Error).message}`,
    );
  }
  return restore;
}

/** `0,2-3` → [0, 2, 3]. */
export function parseCpuList(list: string): number[] {
  const cpus = new Set<number>();
  for (const part of list.split(',')) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m || Number(m[2] ?? m[1]) < Number(m[1])) throw new Error(`not a CPU list: "${list}" (e.g. 1 or 0,2-3)`);
    for (let c = Number(m[1]); c <= Number(m[2] ?? m[1]); c++) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}

function postgresPids(): number[] {
  try {
    return execFileSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' }).trim().split('\n').map(Number);
  } catch {
    return [];
  }
}

// `taskset -pc PID` (the main thread's, which the others were given) prints "pid N's current affinity list: 0,1".
const affinity = (pid: number): string =>
  execFileSync('taskset', ['-pc', String(pid)], { encoding: 'utf8' })
    .trim()
    .split(': ')
    .pop()!;

function setAffinity(pid: number, list: string, ignoreGone = false): void {
  try {
    // -a: every thread of the process (this one's V8 and libuv threads too).
    execFileSync('taskset', ['-apc', list, String(pid)], { stdio: 'pipe' });
  } catch (err) {
    // A backend may have exited since (restoring): nothing to undo there.
    if (!ignoreGone) throw err;
  }
}
