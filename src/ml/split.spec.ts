import { splitIndices } from './split';

describe('splitIndices', () => {
  const labels = Array.from({ length: 100 }, (_, i) => (i % 10 < 3 ? 'bad' : 'good')); // 30 bad, 70 good

  it('is a deterministic partition for a given seed', () => {
    const a = splitIndices(100, 7, undefined, labels);
    expect(splitIndices(100, 7, undefined, labels)).toEqual(a);
    expect(splitIndices(100, 8, undefined, labels)).not.toEqual(a);
    const all = [...a.train, ...a.validation, ...a.test].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('keeps the class mix in every part (70/10/20)', () => {
    const s = splitIndices(100, 1, undefined, labels);
    const bad = (idx: number[]) => idx.filter((i) => labels[i] === 'bad').length;
    // bad: test round(30·.2)=6, val round(30·.1)=3, train 21; good: 14, 7, 49
    expect([bad(s.train), bad(s.validation), bad(s.test)]).toEqual([21, 3, 6]);
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([70, 10, 20]);
  });

  it('refuses fractions that do not sum to 1', () => {
    expect(() => splitIndices(10, 1, { train: 0.8, validation: 0.1, test: 0.2 })).toThrow('fractions');
  });
});
