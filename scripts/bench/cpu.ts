import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Linux only (/proc): CPU time spent so far, for CPU-per-request figures that do not depend on
// how much of the shared machine a process happened to get.
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * User + system CPU time of a process (every thread) in ms; 0 once it has exited. With
 * `reaped`, also that of its children that have exited (waited for).
 */
export function cpuMs(pid: number, reaped = false): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces: utime, stime,
    // cutime, cstime are the 12th to 15th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return (reaped ? own + Number(fields[13]) + Number(fields[14]) : own) * TICK_MS;
  } catch {
    return 0;
  }
}

/**
 * CPU time of every PostgreSQL process on this machine, in ms: the live ones, and through the
 * postmaster's reaped-children time the backends that have exited (a closed pool connection
 * would otherwise take its CPU time out of the sum).
 */
export function postgresCpuMs(): number {
  let pids: string[];
  try {
    pids = execFileSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return 0;
  }
  return pids.reduce((total, pid) => total + cpuMs(Number(pid), true), 0);
}
