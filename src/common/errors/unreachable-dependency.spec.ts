import { ReplyError } from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { unreachableDependency } from './unreachable-dependency';

/** A pg error with a SQLSTATE, as pg builds it from the server's ErrorResponse. */
function pgError(code: string, message = 'refused'): DatabaseError {
  const err = new DatabaseError(message, 0, 'error');
  err.code = code;
  return err;
}

/** A Node socket error as pg's connection attempt rejects with it. */
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });
}

const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('unreachableDependency', () => {
  it.each([
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a connection attempt that timed out', socketError('ETIMEDOUT')],
    ['an unknown host', socketError('ENOTFOUND')],
    ["pg-pool's connection timeout", new Error('Connection terminated due to connection timeout')],
    ["pg-pool's wait for a free connection", new Error('timeout exceeded when trying to connect')],
    ['a server gone during a query', failedQuery(new Error('Connection terminated unexpectedly'))],
    [
      'a connection error seen before the query',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'the server shutting down (57P01)',
      failedQuery(pgError('57P01', 'terminating connection due to administrator command')),
    ],
    ['the server starting up (57P03)', pgError('57P03', 'the database system is starting up')],
    ['too many connections (53300)', pgError('53300', 'sorry, too many clients already')],
    ['a connection failure (08006)', failedQuery(pgError('08006'))],
    ['an I/O error (58030)', pgError('58030')],
  ])('names PostgreSQL for %s', (_, err) => {
    expect(unreachableDependency(err)).toBe('PostgreSQL');
  });

  it.each([
    ['a command out of reconnection attempts', new MaxRetriesPerRequestError(3)],
    [
      'a command while not connected (no offline queue)',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    ['a command on a closed connection', new Error('Connection is closed.')],
    ['Redis loading its data', new ReplyError('LOADING Redis is loading the dataset in memory')],
    ['a replica without its master', new ReplyError('MASTERDOWN Link with MASTER is down')],
  ])('names Redis for %s', (_, err) => {
    expect(unreachableDependency(err)).toBe('Redis');
  });

  it.each([
    ['a unique violation (23505)', failedQuery(pgError('23505', 'duplicate key value'))],
    ['a syntax error (42601)', pgError('42601')],
    [
      'a Redis reply refusing the command',
      new ReplyError('WRONGTYPE Operation against a key holding the wrong kind of value'),
    ],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'ECONNREFUSED'],
    ['nothing', null],
  ])('names nothing for %s', (_, err) => {
    expect(unreachableDependency(err)).toBeUndefined();
  });
});
