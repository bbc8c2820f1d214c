import { ERROR_STATUSES } from '../../src/bootstrap/error-statuses';
import { DomainError, type ErrorDetailInput } from '../../src/common/errors/domain-error';

/** What a call failed with (fails the test if it succeeded). */
export async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected a failure, got an answer');
    },
    (e: unknown) => e,
  );
}

/** A domain refusal, with the HTTP status the error filter would answer for its code. */
export interface Refusal {
  error: DomainError<string>;
  code: string;
  status: number;
  message: string;
  details: ErrorDetailInput[];
}

/** The HTTP status of a domain error, from the one table the filter reads (fails for an unlisted code). */
export function statusOf(err: DomainError<string>): number {
  const status = ERROR_STATUSES[err.code];
  if (status === undefined) throw new Error(`error code ${err.code} has no status`);
  return status;
}

/** The domain error a call was refused with (fails the test if it succeeded or threw something else). */
export async function refusal(call: Promise<unknown>): Promise<Refusal> {
  const err = await failure(call);
  if (!(err instanceof DomainError)) throw err;
  return { error: err, code: err.code, status: statusOf(err), message: err.message, details: err.details };
}
