import { Writable } from 'node:stream';
import { loadConfig } from '../../config/app-config';
import { AppLogger } from './app-logger';
import { createRootLogger, requestContext } from './root-logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = new AppLogger(createRootLogger(loadConfig({ LOG_LEVEL: 'debug' }), stream));
  return { lines, logger };
}

describe('AppLogger over the root pino logger', () => {
  it('adds the current request id to every line written while serving it', () => {
    const { lines, logger } = capture();
    requestContext.run({ reqId: 'req-42' }, () => logger.log('inside', 'Ctx'));
    logger.log('outside', 'Ctx');
    expect(lines[0]).toMatchObject({ msg: 'inside', context: 'Ctx', reqId: 'req-42', level: 30 });
    expect(lines[1].reqId).toBeUndefined();
  });

  it('takes pino-style calls: fields object first, then the message, then Nest’s context', () => {
    const { lines, logger } = capture();
    logger.warn({ jobId: 'j1' }, 'attempt failed', 'TrainingWorker');
    expect(lines[0]).toMatchObject({ level: 40, jobId: 'j1', msg: 'attempt failed', context: 'TrainingWorker' });
  });

  it('keeps Nest’s error(message, stack, context) form and Error objects', () => {
    const { lines, logger } = capture();
    logger.error('boom', 'Error: boom\n    at x', 'Ctx');
    logger.error(new Error('bad'), 'Ctx');
    expect(lines[0]).toMatchObject({ level: 50, msg: 'boom', stack: 'Error: boom\n    at x', context: 'Ctx' });
    expect(lines[1]).toMatchObject({
      level: 50,
      msg: 'bad',
      context: 'Ctx',
      err: expect.objectContaining({ message: 'bad' }),
    });
  });

  it('redacts credentials wherever they appear', () => {
    const { lines, logger } = capture();
    logger.log({ user: { password: 'hunter2' }, token: 'mlt_x' }, 'login');
    expect(JSON.stringify(lines[0])).not.toMatch(/hunter2|mlt_x/);
  });

  it('skips levels below LOG_LEVEL', () => {
    const { lines, logger } = capture();
    logger.verbose('trace line', 'Ctx');
    expect(lines).toHaveLength(0);
  });
});
