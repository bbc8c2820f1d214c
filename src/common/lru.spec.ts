import { Lru } from './lru';

describe('Lru', () => {
  it('evicts the least recently used entry and reports it', () => {
    const evicted: string[] = [];
    const lru = new Lru<string, number>(2, (k) => evicted.push(k));
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3);
    expect(evicted).toEqual(['b']);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.size).toBe(2);
  });

  it('replacing a key does not evict', () => {
    const onEvict = jest.fn();
    const lru = new Lru<string, number>(1, onEvict);
    lru.set('a', 1);
    lru.set('a', 2);
    expect(onEvict).not.toHaveBeenCalled();
    expect(lru.get('a')).toBe(2);
  });

  it('refuses a capacity below one', () => {
    expect(() => new Lru(0)).toThrow(RangeError);
  });
});
