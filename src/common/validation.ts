import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, type ErrorDetailInput } from './errors/app-error';

/** DTO validation: unknown properties refused, each bad field named in `details`, status 422. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'Validation failed', flatten(errors)),
  });
}

export function flatten(errors: ValidationError[], parent = ''): ErrorDetailInput[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
