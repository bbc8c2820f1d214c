import { colourAt, colourOf, inkOn, legend, position, scaleFor } from './heat-scale';

describe('heat map colour scale', () => {
  it('runs over viridis from dark purple to yellow', () => {
    expect(colourAt(0)).toBe('#440154');
    expect(colourAt(1)).toBe('#fde725');
    expect(colourAt(-1)).toBe('#440154');
    expect(colourAt(2)).toBe('#fde725');
  });

  it('puts the threshold at the middle unless values go beyond twice it', () => {
    expect(scaleFor([0.01, 0.05], 0.1)).toEqual({ max: 0.2, threshold: 0.1 });
    expect(scaleFor([0.5, null], 0.1).max).toBe(0.5);
    expect(position(0.1, scaleFor([0.01], 0.1))).toBe(0.5);
  });

  it('has a scale without a threshold or values, and saturates above the top', () => {
    expect(scaleFor([], null).max).toBe(1);
    const scale = scaleFor([0.2, 0.4], null);
    expect(position(0.8, scale)).toBe(1);
    expect(position(Number.NaN, scale)).toBe(0);
    expect(colourOf(null, scale)).toBeNull();
  });

  it('writes dark ink on the bright half and white on the dark half', () => {
    const scale = scaleFor([1], null);
    expect(inkOn(0.9, scale)).toBe('#111111');
    expect(inkOn(0.1, scale)).toBe('#ffffff');
  });

  it('gives legend stops from 0 to the top', () => {
    const stops = legend(scaleFor([2], null), 3);
    expect(stops.map((s) => s.value)).toEqual([0, 1, 2]);
    expect(stops[2].colour).toBe('#fde725');
  });
});
