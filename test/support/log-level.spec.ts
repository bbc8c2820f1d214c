import { PassThrough } from 'node:stream';
import { Logger } from '@nestjs/common';
import pino from 'pino';
import { askedLogLevel, moreVerbose, printedLogLevel, quietNestLogger, testLogStream } from './log-level';

/** What `run` wrote to the terminal (stdout and stderr). */
function printedBy(run: () => void): string {
  let out = '';
  const capture = (chunk: string | Uint8Array) => ((out += chunk.toString()), true);
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return out;
}

/** Runs `body` with LOG_LEVEL set to `level` (or unset), then puts the run's own back. */
function withLogLevel(level: string | undefined, body: () => void): void {
  const own = process.env.LOG_LEVEL;
  if (level === undefined) delete process.env.LOG_LEVEL;
  else process.env.LOG_LEVEL = level;
  try {
    body();
  } finally {
    if (own === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = own;
    quietNestLogger();
  }
}

describe('test run log level (LOG_LEVEL, README "Tests")', () => {
  it("sets Nest's default logger to the run's level in every test file (jest setupFiles)", () => {
    const out = printedBy(() => {
      new Logger('Probe').log('an info line');
      new Logger('Probe').warn('a warn line');
    });
    const verbose = moreVerbose(printedLogLevel(), 'info') === printedLogLevel();
    expect({ info: out.includes('an info line'), warn: out.includes('a warn line') }).toEqual({
      info: verbose,
      warn: moreVerbose(printedLogLevel(), 'warn') === printedLogLevel(),
    });
  });

  it('prints warnings and worse unless the developer asks for more', () => {
    withLogLevel(undefined, () => {
      quietNestLogger();
      const out = printedBy(() => {
        new Logger('Probe').log('an info line');
        new Logger('Probe').warn('a warn line');
        new Logger('Probe').error('an error line');
      });
      expect(out).not.toContain('an info line');
      expect(out).toContain('a warn line');
      expect(out).toContain('an error line');
    });
  });

  it('prints what LOG_LEVEL asks for, down to debug, and nothing when silent', () => {
    withLogLevel('debug', () => {
      quietNestLogger();
      expect(printedBy(() => new Logger('Probe').debug('a debug line'))).toContain('a debug line');
    });
    withLogLevel('silent', () => {
      quietNestLogger();
      expect(printedBy(() => new Logger('Probe').error('an error line'))).toBe('');
    });
  });

  it('refuses a LOG_LEVEL that is not a level, naming the levels', () => {
    withLogLevel('verbose', () => {
      expect(() => askedLogLevel()).toThrow('LOG_LEVEL=verbose is not a log level: use one of trace, debug, info');
    });
  });

  it("keeps an in-process app's lines for the tests, and prints them only when asked", () => {
    const lines = (level: string | undefined) => {
      let kept = '';
      const capture = new PassThrough();
      capture.on('data', (c: Buffer) => (kept += c.toString()));
      let printed = '';
      withLogLevel(level, () => {
        const logger = pino({ level: 'debug' }, testLogStream(capture));
        printed = printedBy(() => {
          logger.debug('a debug line');
          logger.info('an info line');
        });
      });
      return { kept: kept.match(/a debug line|an info line/g), printed: printed.match(/a debug line|an info line/g) };
    };
    expect(lines(undefined)).toEqual({ kept: ['a debug line', 'an info line'], printed: null });
    expect(lines('info')).toEqual({ kept: ['a debug line', 'an info line'], printed: ['an info line'] });
  });
});
