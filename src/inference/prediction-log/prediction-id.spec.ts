import { validate, version } from 'uuid';
import { newPredictionId } from './prediction-id';

/** The Unix ms a UUIDv7 holds in its first 48 bits. */
const msOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newPredictionId', () => {
  it('makes valid version-7 UUIDs that hold the time they were made', () => {
    const before = Date.now();
    const id = newPredictionId();
    const after = Date.now();
    expect(validate(id) && version(id)).toBe(7);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(after);
  });

  it('makes ids that are unique and strictly increasing, also within a millisecond', () => {
    const ids = Array.from({ length: 5_000 }, newPredictionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    // Many ids share a millisecond here: what orders them is the sequence, not the clock.
    const perMs = new Map<number, number>();
    for (const id of ids) perMs.set(msOf(id), (perMs.get(msOf(id)) ?? 0) + 1);
    expect(Math.max(...perMs.values())).toBeGreaterThan(1);
  });

  it('draws fresh random bits for every id', () => {
    const tails = Array.from({ length: 1_000 }, () => newPredictionId().slice(-12));
    expect(new Set(tails).size).toBe(tails.length);
  });
});
