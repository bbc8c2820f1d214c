import { BoundedCache } from './bounded-cache';

describe('BoundedCache', () => {
  it('evicts the least recently used entry past its size', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('deletes by predicate', () => {
    const cache = new BoundedCache<string, { owner: string }>(10);
    cache.set('t1', { owner: 'x' });
    cache.set('t2', { owner: 'y' });
    cache.deleteWhere((v) => v.owner === 'x');
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')).toEqual({ owner: 'y' });
  });
});
