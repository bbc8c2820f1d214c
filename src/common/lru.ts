/**
 * A bounded map that forgets its least recently used entry (Map keeps insertion order, so
 * re-inserting on each hit makes the first key the oldest). `onEvict` lets the owner free what
 * an entry holds (tfjs weights are not garbage-collected). Used for loaded models and for verified
 * credentials (JWTs, API tokens).
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(
    private readonly capacity: number,
    private readonly onEvict: (key: K, value: V) => void = () => undefined,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be an integer >= 1');
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    // `undefined` may be a stored value: only then is the extra lookup needed.
    if (value === undefined && !this.map.has(key)) return undefined;
    this.map.delete(key);
    this.map.set(key, value as V);
    return value;
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      const evicted = this.map.get(oldest) as V;
      this.map.delete(oldest);
      this.onEvict(oldest, evicted);
    }
  }

  /** Removes without calling onEvict (the caller deals with the value). */
  delete(key: K): boolean {
    return this.map.delete(key);
  }

  keys(): K[] {
    return [...this.map.keys()];
  }

  values(): V[] {
    return [...this.map.values()];
  }
}
