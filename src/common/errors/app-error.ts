import { HttpStatus } from '@nestjs/common';
import type { ErrorDetailInput } from './domain-error';

/**
 * @deprecated Throw a module's DomainError (`src/<module>/<module>.errors.ts`) instead.
 * An error that carries its own HTTP status. It stays only for src/inference/serving's model
 * cache and model source, which throw it and branch on `status`, until they are converted;
 * then it goes, and DomainError stops extending it.
 */
export class AppError extends Error {
  constructor(
    /** @deprecated A domain error's status comes from its module's table. */
    readonly status: HttpStatus,
    message: string,
    readonly details: ErrorDetailInput[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}
