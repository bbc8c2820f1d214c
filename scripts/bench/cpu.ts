import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Linux only (/proc): CPU time spent so far, for CPU-per-request figures that do not depend on
// how much of the shared machine a process happened to get.
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** User + system CPU time of a process (every thread) in ms; 0 once it has exited. */
export function cpuMs(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU time of every PostgreSQL process on this machine (the server and its backends), in ms. */
export function postgresCpuMs(): number {
  let pids: string[];
  try {
    pids = execFileSync('pgrep', ['-x', 'postgres'], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return 0;
  }
  return pids.reduce((total, pid) => total + cpuMs(Number(pid)), 0);
}
