import { MlInputError } from './errors';
import type { ColumnType } from './schema';
import { fitTarget, inferTask, rarerClass, targetTasks } from './target';

describe('inferTask', () => {
  it.each<[ColumnType, number, string]>([
    ['category', 2, 'binary'],
    ['category', 3, 'multiclass'],
    ['boolean', 2, 'binary'],
    ['integer', 2, 'binary'],
    ['integer', 3, 'regression'],
    ['integer', 40, 'regression'],
    ['number', 2, 'regression'],
    ['number', 500, 'regression'],
  ])('a %s target with %i distinct values trains %s', (type, distinct, task) => {
    expect(inferTask(type, distinct)).toBe(task);
  });

  it('refuses a text target, naming the field', () => {
    expect(() => inferTask('text', 2)).toThrow(new MlInputError('target', 'a text column cannot be a target'));
  });

  it('infers only a task the type can be trained for', () => {
    for (const type of ['number', 'integer', 'boolean', 'category'] as const)
      for (const distinct of [2, 3, 10]) expect(targetTasks(type)).toContain(inferTask(type, distinct));
  });
});

describe('rarerClass', () => {
  it('is the class with fewer values', () => {
    expect(
      rarerClass(
        new Map([
          ['good', 40],
          ['bad', 20],
        ]),
      ),
    ).toBe('bad');
    expect(
      rarerClass(
        new Map([
          ['b', 1],
          ['a', 9],
        ]),
      ),
    ).toBe('b');
  });

  it('is the last in sorted order on a tie, whatever the order of the counts', () => {
    expect(
      rarerClass(
        new Map([
          ['1', 30],
          ['0', 30],
        ]),
      ),
    ).toBe('1');
    expect(
      rarerClass(
        new Map([
          ['0', 30],
          ['1', 30],
        ]),
      ),
    ).toBe('1');
  });

  it('refuses anything but two classes', () => {
    expect(() => rarerClass(new Map([['a', 1]]))).toThrow(MlInputError);
    expect(() =>
      rarerClass(
        new Map([
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ]),
      ),
    ).toThrow(MlInputError);
  });
});

describe('fitTarget', () => {
  const col = (type: ColumnType) => ({ name: 'y', type, nullable: false });

  it("defaults a binary target's positive class to the rarer one, and keeps an asked one", () => {
    expect(fitTarget(col('category'), 'binary', ['a', 'b', 'b']).positiveClass).toBe('a');
    expect(fitTarget(col('category'), 'binary', ['a', 'b', 'b'], 'b').positiveClass).toBe('b');
  });

  it('refuses a task the column type cannot be the target of', () => {
    expect(() => fitTarget(col('number'), 'binary', [0, 1])).toThrow('a number column cannot be a class label');
    expect(() => fitTarget(col('category'), 'regression', ['a', 'b'])).toThrow('regression needs a numeric target');
  });
});
