/**
 * Labelled children of prom-client metrics kept by a string key: prom-client hashes a label
 * object (or sorts label values) on every call, which a hot path notices; a Map lookup on a key
 * the caller builds is cheaper. `forget` drops the children a predicate picks, so their series
 * can be removed from the metrics too.
 */
export class MetricChildren<T> {
  private readonly children = new Map<string, T>();

  get(key: string, make: () => T): T {
    let child = this.children.get(key);
    if (child === undefined) this.children.set(key, (child = make()));
    return child;
  }

  /** Removes, and hands to `drop`, every child `pick` chooses. */
  forget(pick: (child: T) => boolean, drop: (child: T) => void): void {
    for (const [key, child] of this.children) {
      if (!pick(child)) continue;
      this.children.delete(key);
      drop(child);
    }
  }

  get size(): number {
    return this.children.size;
  }
}
