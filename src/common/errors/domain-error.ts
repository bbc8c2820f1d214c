import type { HttpStatus } from '@nestjs/common';

export interface ErrorDetailInput {
  field: string;
  message: string;
  [key: string]: unknown;
}

/**
 * What a module throws when it refuses a request: a code from the module's own enum (named after
 * the domain fact, e.g. `registry.quality_gate_refused`), a message for people and field details.
 * Which HTTP status a code answers is not the error's business: each module's `*_ERROR_STATUS`
 * table says it, and the global filter reads the table the bootstrap combines from them all.
 * Callers that must tell errors apart branch on `instanceof <Module>Error` and `code`.
 */
export abstract class DomainError<C extends string> extends Error {
  protected constructor(
    readonly code: C,
    message: string,
    readonly details: ErrorDetailInput[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The HTTP status of every domain code, as the filter gets it (all modules' tables together). */
export type ErrorStatuses = Readonly<Record<string, HttpStatus>>;
