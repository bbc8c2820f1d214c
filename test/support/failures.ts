import { AppError } from '../../src/common/errors/app-error';

/** What a call failed with (fails the test if it succeeded). */
export async function failure(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected a failure, got an answer');
    },
    (e: unknown) => e,
  );
}

/** The AppError a call was refused with (fails the test if it succeeded or threw something else). */
export async function refusal(call: Promise<unknown>): Promise<AppError> {
  const err = await failure(call);
  if (!(err instanceof AppError)) throw err;
  return err;
}
