import { ValidationError, ValidationPipe, type ArgumentMetadata, type Type } from '@nestjs/common';
import { bodyTooComplex, validationFailed } from './errors/common.errors';
import { DTO_INPUT_LIMITS, findInputProblem } from './input-limits';
import type { ErrorDetailInput } from './errors/domain-error';

/**
 * The global ValidationPipe, with one shortcut: an empty query string. Most calls of a route with
 * optional query parameters (predict above all) send none, and class-transformer plus
 * class-validator would turn `{}` into the same defaults every time, at a cost the predict path
 * notices. The first empty query of a DTO class goes through the full pipe; when it is
 * valid and flat (primitive values only), its result is kept and later empty queries get a copy. An
 * invalid `{}` (a required parameter) is never kept, so its error is raised by the full pipe every
 * time; nor is a result holding an object or array, which a handler could change for the next call.
 */
export class AppValidationPipe extends ValidationPipe {
  private readonly emptyQueries = new WeakMap<Type, object>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const metatype = metadata.metatype;
    if (metadata.type === 'body' && this.toValidate(metadata)) refuseLargeDtoBody(value);
    if (metadata.type !== 'query' || !metatype || !isEmptyObject(value) || !this.toValidate(metadata)) {
      return super.transform(value, metadata);
    }
    let template = this.emptyQueries.get(metatype);
    if (!template) {
      const result = (await super.transform({}, metadata)) as object;
      if (!Object.values(result).every(isPrimitive)) return result;
      this.emptyQueries.set(metatype, (template = result));
    }
    // A copy: the kept result must not see what a handler does to its own.
    return Object.assign(Object.create(Object.getPrototypeOf(template) as object) as object, template);
  }
}

/**
 * class-validator spends some 20 µs per value of a DTO body (each nested item is an instance with
 * its own errors), so a body the edge limits let through for predict would still hold the event
 * loop for seconds here: DTO bodies get the tighter bound of DTO_INPUT_LIMITS.
 */
function refuseLargeDtoBody(value: unknown): void {
  const problem = findInputProblem(value, '', DTO_INPUT_LIMITS);
  if (problem?.limit !== undefined)
    throw bodyTooComplex({ field: problem.field, message: problem.message, limit: problem.limit });
}

const isPrimitive = (value: unknown): boolean =>
  value === null || (typeof value !== 'object' && typeof value !== 'function');

function isEmptyObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  for (const _ in value) return false;
  return true;
}

/** DTO validation: unknown properties refused, each bad field named in `details` (`common.validation_failed`). */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

export function flatten(errors: ValidationError[], parent = ''): ErrorDetailInput[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
