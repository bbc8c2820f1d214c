/**
 * Sends prediction traffic to a served model from the command line (README, "Traffic generator"):
 *   npm run traffic -- --model credit [--rate 10] [--drift] [--feedback-delay 30s] [--duration 5m] …
 * The logic is scripts/traffic/ (runTraffic, for tests in process); this file reads the flags and
 * the token, prints the summary lines and stops on Ctrl-C. Exit 0 after a run, 1 when it cannot
 * start (no such model, a refused token), 2 on bad usage.
 */
import { extname, relative, resolve } from 'node:path';
import { resolveToken } from './traffic/credentials';
import { parseCli, USAGE, UsageError, type CliOptions } from './traffic/options';
import { runTraffic, summaryLine, TrafficStartError } from './traffic/index';

// scripts/ under ts-node, dist/scripts/ compiled.
const ROOT = resolve(__dirname, extname(__filename) === '.ts' ? '..' : '../..');
const seconds = (ms: number) => `${ms / 1000} s`;

function options(): { cli: CliOptions; token: string; tokenFrom: string } | number {
  try {
    const cli = parseCli(process.argv.slice(2));
    if (cli.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const stateDir = resolve(process.env.DEMO_STATE_DIR ?? resolve(ROOT, '.demo'));
    const { token, from } = resolveToken({ flag: cli.token, env: process.env, url: cli.url, stateDir });
    return { cli, token, tokenFrom: from };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`error: ${err.message}\n${USAGE}\n`);
    return 2;
  }
}

async function main(): Promise<number> {
  const parsed = options();
  if (typeof parsed === 'number') return parsed;
  const { cli, token, tokenFrom } = parsed;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const run = runTraffic({ ...cli, token, onReport: say });
  let start;
  try {
    start = await run.ready;
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return err instanceof TrafficStartError ? 1 : 2;
  }
  const { signature: sig } = start;
  const served = `${sig.model} v${sig.version}${sig.alias ? ` (${sig.alias})` : ''}`;
  say(
    `sending ${cli.rate} predictions/s to ${served} at ${cli.url} with ${tokenFrom}: rows of ${relative(process.cwd(), start.file) || start.file} ` +
      `(${start.rows} rows${start.skippedRows ? `, ${start.skippedRows} left out: no label or a value the model refuses` : ''}), ` +
      `${cli.drift ? 'drifted (numeric features +1.5 sd, a quarter of the categories unseen)' : 'as shipped'}; ` +
      `${cli.feedbackDelayMs === null ? 'no feedback' : `true labels as feedback ${seconds(cli.feedbackDelayMs)} after each answer`}; ` +
      `${cli.durationMs ? `for ${seconds(cli.durationMs)}` : 'Ctrl-C stops'}`,
  );

  let interrupts = 0;
  process.on('SIGINT', () => {
    // The first Ctrl-C stops the traffic; the labels already due are sent, the others dropped.
    interrupts++;
    if (interrupts === 1) say('stopping: waiting for the requests in flight');
    void run.stop();
  });
  const ended = await run.done.catch(() => run.summary());
  say(`done: ${summaryLine(ended, ended.achievedRate)}`);
  if (ended.problems.length) say(`problems: ${ended.problems.join('; ')}`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`traffic failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
