/**
 * Seeded randomness for everything the library shuffles or samples. Math.random cannot be
 * seeded, and tfjs' own shuffle uses it, so splits, batch order and dropout masks draw from
 * mulberry32: a 32-bit generator, tiny, fast, and good enough for shuffling (not for crypto).
 */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A distinct, reproducible seed per purpose ("split", "init"...), so that streams do not overlap. */
export function deriveSeed(seed: number, purpose: string): number {
  let h = (seed >>> 0) ^ 0x811c9dc5;
  for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i];
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
