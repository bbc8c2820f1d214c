import type { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { COMMON_ERROR_STATUS, CommonError, CommonErrorCode } from './errors/common.errors';
import { createValidationPipe } from './validation';

class ListQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

class TagQuery {
  @IsOptional()
  @IsString({ each: true })
  tags: string[] = [];
}

class SearchQuery {
  @IsString()
  q!: string;
}

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'query',
  metatype,
  data: undefined,
});

async function rejection(promise: Promise<unknown>): Promise<CommonError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CommonError);
  expect((err as CommonError).code).toBe(CommonErrorCode.VALIDATION_FAILED);
  return err as CommonError;
}

describe('AppValidationPipe', () => {
  it('answers an empty query with the DTO defaults, a fresh instance each time', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({}, query(ListQuery))) as ListQuery;
    expect(first).toBeInstanceOf(ListQuery);
    expect(first.limit).toBe(20);
    first.limit = 99;
    const second = (await pipe.transform({}, query(ListQuery))) as ListQuery;
    expect(second).toBeInstanceOf(ListQuery);
    expect(second).not.toBe(first);
    expect(second.limit).toBe(20);
  });

  it('never shares an object or array default between calls', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({}, query(TagQuery))) as TagQuery;
    first.tags.push('changed');
    const second = (await pipe.transform({}, query(TagQuery))) as TagQuery;
    expect(second.tags).toEqual([]);
  });

  it('still validates a query that has parameters', async () => {
    const pipe = createValidationPipe();
    await pipe.transform({}, query(ListQuery));
    await expect(pipe.transform({ limit: '5' }, query(ListQuery))).resolves.toMatchObject({ limit: 5 });
    const err = await rejection(pipe.transform({ limit: '500' }, query(ListQuery)));
    expect(COMMON_ERROR_STATUS[err.code]).toBe(422);
    expect(err.details).toEqual([expect.objectContaining({ field: 'limit' })]);
    const unknown = await rejection(pipe.transform({ limt: '5' }, query(ListQuery)));
    expect(unknown.details).toEqual([expect.objectContaining({ field: 'limt' })]);
  });

  it('refuses an empty query without a required parameter every time (an error is never kept)', async () => {
    const pipe = createValidationPipe();
    for (let i = 0; i < 2; i++) {
      const err = await rejection(pipe.transform({}, query(SearchQuery)));
      expect(err.details).toEqual([expect.objectContaining({ field: 'q' })]);
    }
  });

  it('leaves empty bodies to the full pipe', async () => {
    const pipe = createValidationPipe();
    const err = await rejection(pipe.transform({}, { type: 'body', metatype: SearchQuery, data: undefined }));
    expect(err.details).toEqual([expect.objectContaining({ field: 'q' })]);
  });
});
