import { BadRequestException, HttpStatus, Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { QueryFailedError } from 'typeorm';
import { COMMON_ERROR_STATUS } from './common.errors';
import { DomainError, type ErrorDetailInput } from './domain-error';
import { HttpErrorFilter } from './http-error.filter';

enum TestCode {
  REFUSED = 'test.refused',
  UNLISTED = 'test.unlisted',
}

/** A module's error as the filter sees it. */
class TestError extends DomainError<TestCode> {
  constructor(code: TestCode, message: string, details: ErrorDetailInput[] = [], headers: Record<string, string> = {}) {
    super(code, message, details, headers);
  }
}

const STATUSES = { ...COMMON_ERROR_STATUS, [TestCode.REFUSED]: HttpStatus.CONFLICT };

interface Sent {
  status?: number;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

function answer(exception: unknown): Sent {
  const sent: Sent = { headers: {} };
  const reply = {
    headers: (h: Record<string, string>) => (Object.assign(sent.headers, h), reply),
    status: (s: number) => ((sent.status = s), reply),
    send: (b: Record<string, unknown>) => ((sent.body = b), reply),
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: 'req-1' }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;
  new HttpErrorFilter(STATUSES).catch(exception, host);
  return sent;
}

const BARE_500 = {
  statusCode: 500,
  error: 'Internal Server Error',
  message: 'Internal server error',
  details: [],
  requestId: 'req-1',
};

describe('HttpErrorFilter', () => {
  let logged: jest.SpyInstance;
  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => logged.mockRestore());

  it('answers a domain error with the status its code has in the table, and the code in the body', () => {
    const details = [{ field: 'version', message: 'worse than version 1' }];
    const sent = answer(new TestError(TestCode.REFUSED, 'Refused', details, { 'retry-after': '3' }));
    expect(sent.status).toBe(409);
    expect(sent.headers).toEqual({ 'retry-after': '3' });
    expect(sent.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      code: 'test.refused',
      message: 'Refused',
      details,
      requestId: 'req-1',
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it('answers a domain code missing from the table with a bare 500 and logs it', () => {
    const error = new TestError(TestCode.UNLISTED, 'secret detail');
    const sent = answer(error);
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual(BARE_500);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: error }), 'request failed');
  });

  it('answers an unknown error with a bare 500: its message goes to the log only', () => {
    const error = new Error('duplicate key value violates unique constraint "users_email_key"');
    const sent = answer(error);
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual(BARE_500);
    expect(JSON.stringify(sent.body)).not.toContain('users_email_key');
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: error, requestId: 'req-1' }), 'request failed');
  });

  it("keeps Nest's HttpExceptions as they were, without a code", () => {
    expect(answer(new NotFoundException('Cannot GET /no/such/route')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /no/such/route',
      details: [],
      requestId: 'req-1',
    });
    const pipe = answer(new BadRequestException(['limit must be an integer']));
    expect(pipe.status).toBe(400);
    expect(pipe.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      details: [{ field: '', message: 'limit must be an integer' }],
      requestId: 'req-1',
    });
  });

  it("keeps Fastify's client errors as they were, without a code", () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(answer(tooLarge).body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is larger than the configured limit',
      details: [],
      requestId: 'req-1',
    });
    const malformed = Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 });
    expect(answer(malformed).body).toMatchObject({
      statusCode: 400,
      message: 'Malformed JSON body: Unexpected end of JSON input',
    });
    expect(answer(malformed).body).not.toHaveProperty('code');
    expect(logged).not.toHaveBeenCalled();
  });

  describe('a dependency that cannot be reached', () => {
    let warned: jest.SpyInstance;
    beforeEach(() => {
      warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => warned.mockRestore());

    it.each([
      [
        'PostgreSQL',
        'database',
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' }),
      ],
      ['PostgreSQL', 'database', new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'))],
      ['Redis', 'redis', new MaxRetriesPerRequestError(3)],
      ['Redis', 'redis', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ])('answers 503 common.dependency_unavailable naming %s, with Retry-After, logged at warn', (name, field, err) => {
      const sent = answer(err);
      expect(sent.status).toBe(503);
      expect(sent.headers).toEqual({ 'retry-after': '5' });
      expect(sent.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'common.dependency_unavailable',
        message: `${name} is unavailable: try again in a few seconds`,
        details: [{ field, message: 'unreachable' }],
        requestId: 'req-1',
      });
      expect(logged).not.toHaveBeenCalled();
      expect(warned).toHaveBeenCalledWith(
        expect.objectContaining({ dependency: name, requestId: 'req-1' }),
        `${name} is unavailable: requests that need it answer 503`,
      );
    });

    it('keeps a query PostgreSQL refused (a SQLSTATE outside 08, 53, 57, 58) a bare 500', () => {
      const refused = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
      expect(answer(new QueryFailedError('INSERT', [], refused)).body).toEqual(BARE_500);
      expect(logged).toHaveBeenCalled();
    });
  });
});
