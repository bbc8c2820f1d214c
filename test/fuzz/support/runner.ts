import fc from 'fast-check';

/**
 * Seeds, run counts and reporting of the fuzz properties. FUZZ_RUNS is the whole suite's case
 * count (default 10,000), shared between the properties by weight; FUZZ_SEED (default random)
 * and FUZZ_PATH replay a failure printed by an earlier run.
 */
export const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** A property that has not finished in this long is reported (with its seed) rather than left to hang CI. */
export const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_S ?? 900) * 1000;
/** Jest's timeout for a property's test: its time limit and room to start the app. */
export const TEST_TIMEOUT_MS = TIME_LIMIT_MS + 120_000;

export async function runProperty<T>(
  name: string,
  file: string,
  weight: number,
  property: fc.IAsyncProperty<T>,
): Promise<void> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 2 ** 31)) | 0;
  const path = process.env.FUZZ_PATH;
  const numRuns = Math.max(1, Math.round(TOTAL_RUNS * weight));
  process.stderr.write(`fuzz ${name}: seed=${seed} runs=${numRuns}${path ? ` path=${path}` : ''}\n`);
  const started = Date.now();
  const out = await fc.check(property, {
    seed,
    path,
    numRuns,
    endOnFailure: path !== undefined,
    verbose: Number(process.env.FUZZ_VERBOSE ?? 0) as fc.VerbosityLevel,
    plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS, { failOnInterrupt: true })],
  });
  process.stderr.write(`fuzz ${name}: ${out.numRuns} cases in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (!out.failed) return;
  const replay =
    out.counterexamplePath === null
      ? ''
      : `\nReproduce: FUZZ_SEED=${out.seed} FUZZ_PATH=${out.counterexamplePath} ` +
        `npx jest --selectProjects fuzz --testPathPattern ${file}`;
  const why = out.errorInstance instanceof Error ? `\nFailure: ${out.errorInstance.message}` : '';
  throw new Error(`${fc.defaultReportMessage(out) ?? 'property failed'}${why}${replay}`);
}

/** A case that prints as a short summary in fast-check's report, whatever the size of its body. */
export class Case {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly kind: string,
    readonly payload?: string | Buffer,
    readonly headers?: Record<string, string>,
  ) {}

  [fc.toStringMethod](): string {
    const body =
      this.payload === undefined
        ? ''
        : typeof this.payload === 'string'
          ? ` body (${this.payload.length} characters): ${clip(JSON.stringify(this.payload))}`
          : ` body (${this.payload.length} bytes, as UTF-8): ${clip(JSON.stringify(this.payload.toString('utf8')))}`;
    return `[${this.kind}] ${this.method} ${clip(this.url)}${body}`;
  }
}

const clip = (s: string, max = 400) => (s.length > max ? `${s.slice(0, max)}…` : s);
