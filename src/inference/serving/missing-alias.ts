import { RegistryError, RegistryErrorCode } from '../../registry';

/** How many of a model's versions a missing alias's 404 lists (the newest). */
export const LISTED_VERSIONS = 10;

/** Whether an error is the registry's "this model has no such alias". */
export function isAliasNotFound(err: unknown): err is RegistryError {
  return err instanceof RegistryError && err.code === RegistryErrorCode.ALIAS_NOT_FOUND;
}

/**
 * The registry's 404 for an alias a prediction named (or `production`, which it names by
 * default), saying what to call instead: a version by number (`?version=N`, which every predict
 * protocol takes) or the alias moved to one; for a model without versions, how to make one.
 * The code stays `registry.alias_not_found`: clients branch on it.
 */
export function missingAlias(
  model: string,
  alias: string,
  versions: { newest: number[]; total: number },
): RegistryError {
  const missing = `Alias ${alias} of model ${model} not found`;
  const move = `PUT /models/${model}/aliases/${alias}`;
  const { newest, total } = versions;
  if (!newest.length)
    return new RegistryError(
      RegistryErrorCode.ALIAS_NOT_FOUND,
      `${missing}, and the model has no versions: train one (POST /training-jobs with "model": "${model}", ` +
        `and "promoteTo": "${alias}" to move the alias once it passes the quality gate) ` +
        `or register a finished run's bundle (POST /models/${model}/versions), then call it with ?version=N or ${move}.`,
      [{ field: 'alias', message: `${model} has no versions`, versions: [], total: 0 }],
    );
  const listed =
    total > newest.length
      ? `newest versions: ${newest.join(', ')} (${total} in all)`
      : `versions: ${newest.join(', ')}`;
  return new RegistryError(
    RegistryErrorCode.ALIAS_NOT_FOUND,
    `${missing}. Its ${listed}. Call one with ?version=${newest[0]}, or move the alias to one: ` +
      `${move} with {"version": ${newest[0]}, "reason": "…"} (through the quality gate).`,
    [{ field: 'alias', message: `${model} has no alias ${alias}; its ${listed}`, versions: newest, total }],
  );
}
