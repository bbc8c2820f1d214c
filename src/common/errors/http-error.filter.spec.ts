import { BadRequestException, HttpStatus, Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
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

const STATUSES = { [TestCode.REFUSED]: HttpStatus.CONFLICT };

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
});
