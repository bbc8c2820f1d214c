import { parseArgs } from 'node:util';

/** What `npm run traffic -- …` asks for, checked (the token is resolved apart: credentials.ts). */
export interface CliOptions {
  model: string;
  rate: number;
  drift: boolean;
  /** null: no feedback (`--no-feedback`). */
  feedbackDelayMs: number | null;
  /** null: until Ctrl-C. */
  durationMs: number | null;
  url: string;
  token?: string;
  alias?: string;
  version?: number;
  maxInFlight: number;
  reportEveryMs: number;
  data?: string;
  seed: number;
  help: boolean;
}

export const USAGE = `usage: npm run traffic -- --model <name> [--rate 10] [--drift] [--feedback-delay 30s | --no-feedback]
    [--duration 5m] [--url http://localhost:3000] [--token <API token>] [--alias <alias> | --version <n>]
    [--max-in-flight 64] [--report-every 5s] [--data data/<file>.csv] [--seed 1]
Replays rows of the shipped data (data/*.csv) as predictions at --rate requests a second and sends each
row's true label as feedback --feedback-delay after its answer. --drift shifts the numeric features by
1.5 standard deviations and replaces a quarter of the category values with unseen ones.
Token: --token, else MLAPI_TOKEN, else the one scripts/demo.sh saved in .demo/api-tokens.json
(scopes predict and feedback). Durations: 500ms, 30s, 5m, 1h (a bare number is seconds).`;

/** A bad command line: the message names the flag and what it accepts. */
export class UsageError extends Error {}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `1.5m`, `1h`, or a bare number of seconds, as milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} must be a duration such as 500ms, 30s, 5m or 1h, not ${JSON.stringify(text)}`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's']);
}

function positive(flag: string, text: string, { integer = false, max = Infinity } = {}): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)) || n > max)
    throw new UsageError(
      `${flag} must be ${integer ? 'a whole number' : 'a number'} above 0${Number.isFinite(max) ? ` and at most ${max}` : ''}, not ${JSON.stringify(text)}`,
    );
  return n;
}

/** The command line's options; throws UsageError naming the first bad flag. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  let values;
  try {
    values = parseArgs({
      args: argv,
      allowNegative: true,
      options: {
        model: { type: 'string' },
        rate: { type: 'string', default: '10' },
        drift: { type: 'boolean', default: false },
        'feedback-delay': { type: 'string', default: '30s' },
        feedback: { type: 'boolean', default: true },
        duration: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        alias: { type: 'string' },
        version: { type: 'string' },
        'max-in-flight': { type: 'string', default: '64' },
        'report-every': { type: 'string', default: '5s' },
        data: { type: 'string' },
        seed: { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    // parseArgs names the flag (unknown option, missing value); its codes are not for a reader.
    throw new UsageError((err as Error).message);
  }
  const help = values.help ?? false;
  if (!values.model && !help) throw new UsageError('--model is required: the registered model to send traffic to');
  if (values.alias !== undefined && values.version !== undefined)
    throw new UsageError('give --alias or --version, not both');
  if (values.alias !== undefined && !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(values.alias))
    throw new UsageError(`--alias must be a letter, then letters, digits, _ or -, not ${JSON.stringify(values.alias)}`);
  const url = values.url ?? env.API_URL ?? `http://localhost:${env.PORT ?? 3000}`;
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be an http(s) URL, not ${JSON.stringify(url)}`);
  const reportEveryMs = parseDuration('--report-every', values['report-every']);
  const durationMs = values.duration === undefined ? null : parseDuration('--duration', values.duration);
  if (durationMs === 0) throw new UsageError('--duration must be above 0 (leave it out to run until Ctrl-C)');
  if (reportEveryMs < 100) throw new UsageError('--report-every must be at least 100ms');
  return {
    model: values.model ?? '',
    rate: positive('--rate', values.rate, { max: 10_000 }),
    drift: values.drift ?? false,
    feedbackDelayMs: values.feedback ? parseDuration('--feedback-delay', values['feedback-delay']) : null,
    durationMs,
    url: url.replace(/\/+$/, ''),
    token: values.token,
    alias: values.alias,
    version: values.version === undefined ? undefined : positive('--version', values.version, { integer: true }),
    maxInFlight: positive('--max-in-flight', values['max-in-flight'], { integer: true, max: 10_000 }),
    reportEveryMs,
    data: values.data,
    seed: positive('--seed', values.seed, { integer: true }),
    help,
  };
}
