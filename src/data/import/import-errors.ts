import type { ErrorDetailInput } from '../../common/errors/domain-error';
import { CsvSyntaxError } from '../csv/csv-parser';
import { DataError, DataErrorCode } from '../data.errors';
import type { Rejection } from './row-encoder';

/** The file itself is unreadable as CSV, saying what and where. */
export function malformedCsv(err: CsvSyntaxError): DataError {
  const hint = err.hint ? ` (${err.hint})` : '';
  return new DataError(DataErrorCode.MALFORMED_CSV, `Malformed CSV at line ${err.line}: ${err.message}${hint}`, [
    { field: 'file', message: err.message, line: err.line, ...(err.column ? { column: err.column } : {}) },
  ]);
}

export const fileRequired = () =>
  new DataError(DataErrorCode.FILE_REQUIRED, 'Expected a multipart/form-data upload with a `file` field', [
    { field: 'file', message: 'required' },
  ]);

export const uploadTooLarge = (maxBytes: number) =>
  new DataError(
    DataErrorCode.UPLOAD_TOO_LARGE,
    `The upload is larger than IMPORT_MAX_UPLOAD_BYTES (${maxBytes} bytes)`,
    [{ field: 'file', message: `over ${maxBytes} bytes` }],
  );

export const uploadLimitExceeded = (what: string) =>
  new DataError(DataErrorCode.UPLOAD_LIMIT_EXCEEDED, `The upload has ${what}`, [{ field: 'body', message: what }]);

export const malformedUpload = (why: string) =>
  new DataError(DataErrorCode.MALFORMED_UPLOAD, `The multipart upload cannot be read: ${why}`, [
    { field: 'body', message: why },
  ]);

export const tableLimitExceeded = (details: ErrorDetailInput[]) =>
  new DataError(
    DataErrorCode.TABLE_LIMIT_EXCEEDED,
    `The file's columns do not fit a PostgreSQL table: ${details.map((d) => d.message).join('; ')}`,
    details,
  );

/** `connection: close`: the client stops sending the rest of the body to a server that is going away. */
export const uploadInterrupted = () =>
  new DataError(
    DataErrorCode.UPLOAD_INTERRUPTED,
    'The server is shutting down: send the upload again (another replica takes it)',
    [{ field: 'file', message: 'interrupted by shutdown' }],
    { 'retry-after': '1', connection: 'close' },
  );

export const emptyFile = () =>
  new DataError(DataErrorCode.EMPTY_FILE, 'The file is empty', [{ field: 'file', message: 'no header and no data' }]);

export const binaryFile = (line: number) =>
  new DataError(DataErrorCode.BINARY_FILE, 'The file is not a CSV text file (it contains NUL bytes)', [
    { field: 'file', message: 'binary content', line },
  ]);

export const badEncoding = (line: number, byteOffset: number) =>
  new DataError(DataErrorCode.INVALID_ENCODING, `The file is not valid UTF-8 (line ${line})`, [
    { field: 'file', message: `invalid UTF-8 byte sequence at byte ${byteOffset}`, line },
  ]);

export const noDataRows = () =>
  new DataError(DataErrorCode.NO_DATA_ROWS, 'The file has a header but no data rows', [
    { field: 'file', message: 'no data rows', line: 2 },
  ]);

export function tooManyRejected(rejected: number, total: number, maxShare: number, sample: Rejection[]): DataError {
  return new DataError(
    DataErrorCode.TOO_MANY_REJECTED_ROWS,
    `${rejected} of ${total} rows do not fit the schema (${((100 * rejected) / total).toFixed(2)}% > ${(100 * maxShare).toFixed(2)}% allowed): nothing was imported`,
    sample.map((r) => ({ field: r.column, message: r.reason, line: r.line, value: r.value })),
  );
}

export { CsvSyntaxError };
