import { HttpStatus } from '@nestjs/common';
import { DomainError, type ErrorDetailInput } from '../common/errors/domain-error';

export enum DataErrorCode {
  DATASET_NOT_FOUND = 'data.dataset_not_found',
  DATASET_VERSION_NOT_FOUND = 'data.dataset_version_not_found',
  IMPORT_NOT_FOUND = 'data.import_not_found',
  DATASET_NAME_TAKEN = 'data.dataset_name_taken',
  /** A declared schema breaks the schema rules; `details` names each problem. */
  INVALID_SCHEMA = 'data.invalid_schema',
  /** Only an inferred schema can be confirmed (it is declared, confirmed, or not inferred yet). */
  SCHEMA_NOT_INFERRED = 'data.schema_not_inferred',
  /** A version is used elsewhere (e.g. by a registered model); `details` says by what. */
  DATASET_IN_USE = 'data.dataset_in_use',
  /** Not a multipart upload with a `file` field. */
  FILE_REQUIRED = 'data.file_required',
  UPLOAD_TOO_LARGE = 'data.upload_too_large',
  /** More form fields or files than an upload may carry, or a field too long. */
  UPLOAD_LIMIT_EXCEEDED = 'data.upload_limit_exceeded',
  /** The process began shutting down while the upload was still arriving. */
  UPLOAD_INTERRUPTED = 'data.upload_interrupted',
  /** The multipart body cannot be read (truncated, a file part under another name...). */
  MALFORMED_UPLOAD = 'data.malformed_upload',
  EMPTY_FILE = 'data.empty_file',
  /** NUL bytes: not a text file. */
  BINARY_FILE = 'data.binary_file',
  INVALID_ENCODING = 'data.invalid_encoding',
  /** A line cannot be parsed as CSV; `details` has its line and column. */
  MALFORMED_CSV = 'data.malformed_csv',
  /** The header of a first import cannot name columns (empty or repeated names...). */
  INVALID_HEADER = 'data.invalid_header',
  /** The file's columns would make a table PostgreSQL cannot hold (too many, or rows too wide). */
  TABLE_LIMIT_EXCEEDED = 'data.table_limit_exceeded',
  /** The file has no header, or one that does not match the dataset's schema. */
  HEADER_MISMATCH = 'data.header_mismatch',
  TARGET_NOT_IN_FILE = 'data.target_not_in_file',
  NO_DATA_ROWS = 'data.no_data_rows',
  /** More rows than allowed do not fit the schema; nothing was imported. */
  TOO_MANY_REJECTED_ROWS = 'data.too_many_rejected_rows',
}

export const DATA_ERROR_STATUS: Record<DataErrorCode, HttpStatus> = {
  [DataErrorCode.DATASET_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DataErrorCode.DATASET_VERSION_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DataErrorCode.IMPORT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [DataErrorCode.DATASET_NAME_TAKEN]: HttpStatus.CONFLICT,
  [DataErrorCode.INVALID_SCHEMA]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DataErrorCode.SCHEMA_NOT_INFERRED]: HttpStatus.CONFLICT,
  [DataErrorCode.DATASET_IN_USE]: HttpStatus.CONFLICT,
  [DataErrorCode.FILE_REQUIRED]: HttpStatus.BAD_REQUEST,
  [DataErrorCode.UPLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [DataErrorCode.UPLOAD_LIMIT_EXCEEDED]: HttpStatus.PAYLOAD_TOO_LARGE,
  [DataErrorCode.MALFORMED_UPLOAD]: HttpStatus.BAD_REQUEST,
  [DataErrorCode.UPLOAD_INTERRUPTED]: HttpStatus.SERVICE_UNAVAILABLE,
  [DataErrorCode.EMPTY_FILE]: HttpStatus.BAD_REQUEST,
  [DataErrorCode.BINARY_FILE]: HttpStatus.BAD_REQUEST,
  [DataErrorCode.INVALID_ENCODING]: HttpStatus.BAD_REQUEST,
  [DataErrorCode.MALFORMED_CSV]: HttpStatus.BAD_REQUEST,
  [DataErrorCode.INVALID_HEADER]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DataErrorCode.TABLE_LIMIT_EXCEEDED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DataErrorCode.HEADER_MISMATCH]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DataErrorCode.TARGET_NOT_IN_FILE]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DataErrorCode.NO_DATA_ROWS]: HttpStatus.UNPROCESSABLE_ENTITY,
  [DataErrorCode.TOO_MANY_REJECTED_ROWS]: HttpStatus.UNPROCESSABLE_ENTITY,
};

export class DataError extends DomainError<DataErrorCode> {
  constructor(
    code: DataErrorCode,
    message: string,
    details: ErrorDetailInput[] = [],
    headers: Record<string, string> = {},
  ) {
    super(code, message, details, headers);
  }
}
