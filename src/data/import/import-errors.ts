import { badRequest, unprocessable, type AppError } from '../../common/errors/app-error';
import { CsvSyntaxError } from '../csv/csv-parser';
import type { Rejection } from './row-encoder';

/** The file itself is unreadable as CSV: 400, saying what and where. */
export function malformedCsv(err: CsvSyntaxError): AppError {
  return badRequest(`Malformed CSV at line ${err.line}: ${err.message}`, [
    { field: 'file', message: err.message, line: err.line, ...(err.column ? { column: err.column } : {}) },
  ]);
}

export const emptyFile = () => badRequest('The file is empty', [{ field: 'file', message: 'no header and no data' }]);

export const binaryFile = (line: number) =>
  badRequest('The file is not a CSV text file (it contains NUL bytes)', [{ field: 'file', message: 'binary content', line }]);

export const badEncoding = (line: number, byteOffset: number) =>
  badRequest(`The file is not valid UTF-8 (line ${line})`, [{ field: 'file', message: `invalid UTF-8 byte sequence at byte ${byteOffset}`, line }]);

export const noDataRows = () => unprocessable('The file has a header but no data rows', [{ field: 'file', message: 'no data rows', line: 2 }]);

export function tooManyRejected(rejected: number, total: number, maxShare: number, sample: Rejection[]): AppError {
  return unprocessable(
    `${rejected} of ${total} rows do not fit the schema (${((100 * rejected) / total).toFixed(2)}% > ${(100 * maxShare).toFixed(2)}% allowed): nothing was imported`,
    sample.map((r) => ({ field: r.column, message: r.reason, line: r.line, value: r.value })),
  );
}

export { CsvSyntaxError };
