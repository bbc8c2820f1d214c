import { HttpStatus } from '@nestjs/common';

export interface ErrorDetailInput {
  field: string;
  message: string;
  [key: string]: unknown;
}

/**
 * A domain error that knows its HTTP status. Modules throw these (or Nest's HttpException);
 * the global filter turns both into the one error body.
 */
export class AppError extends Error {
  constructor(
    readonly status: HttpStatus,
    message: string,
    readonly details: ErrorDetailInput[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(HttpStatus.NOT_FOUND, `${what} not found`);
export const conflict = (message: string) => new AppError(HttpStatus.CONFLICT, message);
export const unprocessable = (message: string, details: ErrorDetailInput[] = []) =>
  new AppError(HttpStatus.UNPROCESSABLE_ENTITY, message, details);
export const badRequest = (message: string, details: ErrorDetailInput[] = []) =>
  new AppError(HttpStatus.BAD_REQUEST, message, details);
