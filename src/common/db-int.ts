import { applyDecorators, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { validationFailed } from './errors/common.errors';

/** PostgreSQL's `integer`: versions, steps, seeds and offsets beyond it fail as query errors (a 500). */
export const INT4_MAX = 2_147_483_647;
const INT4_MIN = -2_147_483_648;

/** An integer field the database stores or compares as `integer`, from `min` (default: int4's least). */
export const IsDbInt = (min = INT4_MIN) => applyDecorators(IsInt(), Min(min), Max(INT4_MAX));

/**
 * A path parameter that is an `integer` in the database: decimal digits within int4, else 422
 * naming the parameter (Nest's ParseIntPipe lets 99999999999 through to the query).
 */
@Injectable()
export class ParseDbIntPipe implements PipeTransform<string, number> {
  transform(value: string, metadata: ArgumentMetadata): number {
    const n = /^-?\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n > INT4_MAX || n < INT4_MIN)
      throw validationFailed([
        { field: metadata.data ?? '', message: `must be an integer from ${INT4_MIN} to ${INT4_MAX}` },
      ]);
    return n;
  }
}
