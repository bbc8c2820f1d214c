import { psi } from '../profile';
import { fixture, isClose } from './fixtures/reference';

describe('PSI over reference bins [below, …deciles, above] (profile.ts psi)', () => {
  it.each(fixture.psi.map((c) => [JSON.stringify(c.actual), c] as const))('current %s', (_, c) => {
    expect(isClose(psi(c.expected, c.actual, c.epsilon), c.psi, 1e-12, 1e-15)).toBe(true);
  });
});
