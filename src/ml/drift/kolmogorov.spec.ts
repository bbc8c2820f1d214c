import { fixture, isClose } from './fixtures/reference';
import { kolmogorovSf } from './kolmogorov';

describe('kolmogorovSf (scipy.stats.kstwo.sf)', () => {
  it.each(fixture.kolmogorovSf.map((c) => [c.n, c.x, c.sf]))('n = %d, x = %f', (n, x, sf) => {
    const got = kolmogorovSf(n, x);
    // Relative 1e-9, and 1e-15 absolute where the SF is 1 − CDF of a CDF near 1 (scipy does the same).
    if (!isClose(got, sf, 1e-9, 1e-15)) throw new Error(`kstwo.sf(${x}, ${n}): got ${got}, scipy ${sf}`);
  });

  it('has the limits of a survival function and refuses a non-integer n', () => {
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(kolmogorovSf(10.5, 0.2)).toBeNaN();
    expect(kolmogorovSf(0, 0.2)).toBeNaN();
  });
});
