import { strict } from '../../test/support/strict';
import { CommonError } from '../common/errors/common.errors';
import type { ColumnType } from '../ml';
import type { TrainingData, TrainingDatasetVersion } from './ports/training-data.port';
import { resolveTarget } from './target-resolution';

/** A version with one target column `y` of `type`; a category/boolean one is counted by its profile. */
function version(type: ColumnType, profiled?: Record<string, number>, distinct?: number): TrainingDatasetVersion {
  return {
    datasetId: 'd',
    datasetName: 'ds',
    versionId: 'v',
    version: 1,
    sha256: '',
    rowCount: 100,
    schema: {
      columns: [
        { name: 'x', type: 'number', nullable: false },
        { name: 'y', type, nullable: false },
      ],
    },
    target: 'y',
    distinctCounts: profiled ? { y: Object.keys(profiled).length } : distinct !== undefined ? { y: distinct } : {},
    classCounts: profiled ? { y: new Map(Object.entries(profiled)) } : {},
  };
}

/** The data port for an integer target: its scan's answer (no stub: a scan fails the test). */
const scanning = (counts?: Record<string, number>, complete = true) =>
  strict<TrainingData>(
    'TrainingData',
    counts ? { valueCounts: async () => ({ counts: new Map(Object.entries(counts)), complete }) } : {},
  );

const resolve = (
  request: { task?: 'binary' | 'multiclass' | 'regression'; positiveClass?: string },
  v: TrainingDatasetVersion,
  data = scanning(),
) => resolveTarget(request, v, 'y', data);

async function refusal(promise: Promise<unknown>): Promise<{ field: string; message: string }> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CommonError);
  return (err as CommonError).details[0];
}

describe('resolveTarget', () => {
  it('infers binary for 2 classes and defaults the positive class to the rarer one', async () => {
    await expect(resolve({}, version('category', { good: 40, bad: 20 }))).resolves.toEqual({
      task: 'binary',
      positiveClass: 'bad',
    });
    await expect(resolve({}, version('boolean', { true: 3, false: 9 }))).resolves.toEqual({
      task: 'binary',
      positiveClass: 'true',
    });
  });

  it('infers multiclass for more classes of a category, from the profile alone', async () => {
    await expect(resolve({}, version('category', { a: 1, b: 2, c: 3 }))).resolves.toEqual({ task: 'multiclass' });
    await expect(resolve({}, version('category', undefined, 40))).resolves.toEqual({ task: 'multiclass' });
  });

  it('scans an integer target: 2 values train binary (a tie: the last class is positive), more regression', async () => {
    await expect(resolve({}, version('integer'), scanning({ 0: 30, 1: 30 }))).resolves.toEqual({
      task: 'binary',
      positiveClass: '1',
    });
    await expect(resolve({}, version('integer'), scanning({ 20: 1, 21: 1 }, false))).resolves.toEqual({
      task: 'regression',
    });
  });

  it('trains a number target as regression without reading it', async () => {
    await expect(resolve({}, version('number'))).resolves.toEqual({ task: 'regression' });
  });

  it('lets an asked task win, and keeps an asked positive class', async () => {
    const counted = version('category', { good: 40, bad: 20 });
    await expect(resolve({ task: 'multiclass' }, counted)).resolves.toEqual({ task: 'multiclass' });
    await expect(resolve({ positiveClass: 'good' }, counted)).resolves.toEqual({
      task: 'binary',
      positiveClass: 'good',
    });
    await expect(resolve({ task: 'multiclass' }, version('integer'), scanning({ 1: 5, 2: 5 }, false))).resolves.toEqual(
      {
        task: 'multiclass',
      },
    );
    await expect(resolve({ task: 'regression' }, version('integer'))).resolves.toEqual({ task: 'regression' });
  });

  it('refuses a target with one class, a text target, and a task the type cannot have', async () => {
    expect(await refusal(resolve({}, version('category', { yes: 4 })))).toEqual({
      field: 'target',
      message: 'y has 1 class(es) in version 1; classification needs at least 2',
    });
    expect(await refusal(resolve({}, version('text')))).toMatchObject({ field: 'target' });
    expect(await refusal(resolve({ task: 'binary' }, version('number')))).toEqual({
      field: 'task',
      message: 'y is a number column: its task can be "regression"',
    });
    expect(await refusal(resolve({ task: 'regression' }, version('category', { a: 1, b: 1 })))).toMatchObject({
      field: 'task',
    });
  });

  it('refuses binary for more than 2 classes, and a positive class outside the classes', async () => {
    expect(await refusal(resolve({ task: 'binary' }, version('integer'), scanning({ 1: 1, 2: 1 }, false)))).toEqual({
      field: 'task',
      message: 'y has more than 2 classes; use task "multiclass"',
    });
    expect(await refusal(resolve({ positiveClass: 'maybe' }, version('category', { a: 1, b: 2 })))).toEqual({
      field: 'positiveClass',
      message: 'maybe is not a class of y in version 1 (its classes: a, b)',
    });
  });

  it('refuses a positive class for a task that has none, asked or inferred, saying why', async () => {
    expect(
      await refusal(resolve({ task: 'multiclass', positiveClass: 'a' }, version('category', { a: 1, b: 2 }))),
    ).toEqual({
      field: 'positiveClass',
      message: 'applies to task "binary" only, not "multiclass"',
    });
    expect(await refusal(resolve({ positiveClass: 'a' }, version('category', { a: 1, b: 2, c: 3 })))).toEqual({
      field: 'positiveClass',
      message: 'applies to task "binary" only; y has 3 classes, so the task is "multiclass" (inferred)',
    });
    expect(await refusal(resolve({ positiveClass: '1' }, version('number')))).toEqual({
      field: 'positiveClass',
      message: 'applies to task "binary" only; y is a number column, so the task is "regression" (inferred)',
    });
  });
});
