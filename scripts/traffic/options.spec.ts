import { resolveToken } from './credentials';
import { parseCli, parseDuration, UsageError } from './options';

const parse = (line: string, env: NodeJS.ProcessEnv = {}) => parseCli(line.split(' ').filter(Boolean), env);
const refusal = (line: string) => {
  try {
    parse(line);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${line} was accepted`);
};

describe('parseCli', () => {
  it('needs only --model; the rest has defaults (the demo API, feedback 30 s later, until Ctrl-C)', () => {
    expect(parse('--model credit')).toEqual({
      model: 'credit',
      rate: 10,
      drift: false,
      feedbackDelayMs: 30_000,
      durationMs: null,
      url: 'http://localhost:3000',
      token: undefined,
      alias: undefined,
      version: undefined,
      maxInFlight: 64,
      reportEveryMs: 5000,
      data: undefined,
      seed: 1,
      help: false,
    });
  });

  it('reads the documented flags', () => {
    expect(
      parse(
        '--model credit --rate 50 --drift --feedback-delay 2m --duration 5m --url http://api:8080/ --token t --alias canary',
      ),
    ).toMatchObject({
      rate: 50,
      drift: true,
      feedbackDelayMs: 120_000,
      durationMs: 300_000,
      url: 'http://api:8080',
      token: 't',
      alias: 'canary',
    });
    expect(parse('--model credit --no-feedback --version 3 --rate 0.5')).toMatchObject({
      feedbackDelayMs: null,
      version: 3,
      rate: 0.5,
    });
  });

  it('takes the URL from API_URL, else PORT, as scripts/demo.ts does', () => {
    expect(parse('--model credit', { API_URL: 'http://127.0.0.1:4000' }).url).toBe('http://127.0.0.1:4000');
    expect(parse('--model credit', { PORT: '3100' }).url).toBe('http://localhost:3100');
    expect(parse('--model credit --url http://x:1', { API_URL: 'http://y:2' }).url).toBe('http://x:1');
  });

  it.each([
    ['--rate 50', /--model is required/],
    ['--model credit --rate fast', /--rate must be a number above 0 and at most 10000, not "fast"/],
    ['--model credit --rate 0', /--rate must be a number above 0/],
    ['--model credit --rate 20000', /at most 10000/],
    [
      '--model credit --feedback-delay soon',
      /--feedback-delay must be a duration such as 500ms, 30s, 5m or 1h, not "soon"/,
    ],
    ['--model credit --duration 5x', /--duration must be a duration/],
    ['--model credit --duration 0s', /--duration must be above 0/],
    ['--model credit --alias production --version 2', /give --alias or --version, not both/],
    ['--model credit --alias 1st', /--alias must be a letter/],
    ['--model credit --version 1.5', /--version must be a whole number above 0/],
    ['--model credit --max-in-flight 0', /--max-in-flight must be a whole number above 0/],
    ['--model credit --url localhost:3000', /--url must be an http\(s\) URL/],
    ['--model credit --report-every 10ms', /--report-every must be at least 100ms/],
    ['--model credit --speed 5', /Unknown option '--speed'/],
    ['--model', /--model.*argument missing/],
  ])('refuses %s, naming the flag', (line, message) => {
    expect(refusal(line)).toMatch(message);
  });

  it('lets --help through without --model', () => {
    expect(parse('--help').help).toBe(true);
  });
});

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['1.5m', 90_000],
    ['2h', 7_200_000],
    ['0', 0],
    ['45', 45_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration('--x', text)).toBe(ms));
});

describe('resolveToken', () => {
  const sources = { url: 'http://localhost:3000', stateDir: '/nonexistent/traffic-spec' };

  it('prefers --token, then MLAPI_TOKEN', () => {
    expect(resolveToken({ ...sources, flag: 'a', env: { MLAPI_TOKEN: 'b' } })).toEqual({ token: 'a', from: '--token' });
    expect(resolveToken({ ...sources, env: { MLAPI_TOKEN: 'b' } })).toEqual({ token: 'b', from: 'MLAPI_TOKEN' });
  });

  it('without either and without a kept demo token, says how to get one', () => {
    expect(() => resolveToken({ ...sources, env: {} })).toThrow(
      /no API token: pass --token or set MLAPI_TOKEN .* or run bash scripts\/demo\.sh, which keeps one for http:\/\/localhost:3000 in \/nonexistent\/traffic-spec\/api-tokens\.json/,
    );
  });
});
