/**
 * The monitoring jobs' cost on serving, an option of the predict benchmark
 * (`BENCH_MONITORING_JOBS=1 npm run bench:predict -- [seconds]`, scripts/bench/predict.ts): one
 * log-on predict server, and a worker process (APP_ROLE=worker) on the same database and Redis
 * prefix, whose repeatable jobs (the window job with its roll-ups, realised quality, alert
 * evaluation) run at their default intervals. The worker is frozen (SIGSTOP) for the slices
 * without the jobs and thawed (SIGCONT) for those with them, alternating within each cycle (ABBA
 * order across cycles), so both sides see the same machine; a job overdue while frozen runs at the
 * thaw, so a slice with the jobs holds at least one tick of each whose interval it spans. Slices
 * should be as long as the intervals (60 s for the window and evaluation jobs): `-- 60`.
 */
import type { ChildProcess } from 'node:child_process';
import { cpuMs } from './cpu';
import { median } from './stats';

export interface JobsSlice {
  rps: number;
  p99: number;
  appMs: number;
  pgMs: number;
  requests: number;
}

export interface JobsCostRun {
  /** One slice of load on the predict server. */
  measure: () => Promise<JobsSlice>;
  worker: ChildProcess;
  cycles: number;
  /** Monitoring windows written so far (proof that the jobs ran). */
  windowsWritten: () => Promise<number>;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

export async function monitoringJobsCost(run: JobsCostRun): Promise<void> {
  const pid = run.worker.pid!;
  const withJobs: JobsSlice[] = [];
  const without: JobsSlice[] = [];
  const workerMs: number[] = [];
  try {
    for (let c = 0; c < run.cycles; c++) {
      for (const jobs of c % 2 === 0 ? [false, true] : [true, false]) {
        process.kill(pid, jobs ? 'SIGCONT' : 'SIGSTOP');
        const w0 = cpuMs(pid);
        const slice = await run.measure();
        (jobs ? withJobs : without).push(slice);
        if (jobs) workerMs.push(cpuMs(pid) - w0);
      }
    }
  } finally {
    process.kill(pid, 'SIGCONT'); // so that it can stop
  }
  const ratios = withJobs.map((w, i) => w.rps / without[i].rps);
  const loss = 100 * (1 - median(ratios));
  const perReq = (s: JobsSlice[], key: 'appMs' | 'pgMs') =>
    (1000 * s.reduce((a, x) => a + x[key], 0)) /
    Math.max(
      1,
      s.reduce((a, x) => a + x.requests, 0),
    );
  out(`\nmonitoring jobs on serving: one log-on predict server, the worker frozen or running, ${run.cycles} cycles`);
  out(
    `${'cycle'.padEnd(8)}${'without req/s'.padStart(15)}${'with req/s'.padStart(12)}${'ratio'.padStart(8)}${'worker CPU ms'.padStart(15)}`,
  );
  ratios.forEach((r, i) =>
    out(
      `${String(i + 1).padEnd(8)}${without[i].rps.toFixed(0).padStart(15)}${withJobs[i].rps.toFixed(0).padStart(12)}${r.toFixed(3).padStart(8)}${workerMs[i].toFixed(0).padStart(15)}`,
    ),
  );
  out(
    `p99 ms, median of the slices: without ${median(without.map((s) => s.p99))}, with ${median(withJobs.map((s) => s.p99))}; ` +
      `app µs/req without ${perReq(without, 'appMs').toFixed(1)}, with ${perReq(withJobs, 'appMs').toFixed(1)}; ` +
      `pg µs/req without ${perReq(without, 'pgMs').toFixed(1)}, with ${perReq(withJobs, 'pgMs').toFixed(1)}`,
  );
  out(`monitoring windows written by the worker's jobs: ${await run.windowsWritten()}`);
  out(
    `with/without throughput: median ratio ${median(ratios).toFixed(3)} (per cycle ${ratios.map((r) => r.toFixed(3)).join(' ')}); ` +
      `loss ${loss.toFixed(1)}%; target < 5%: ${loss < 5 ? 'OK' : 'MISSED'}`,
  );
}
