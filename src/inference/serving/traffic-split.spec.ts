import { parseCanary, parseShadow, takesCanary, unitHash } from './traffic-split';

describe('traffic split', () => {
  it('parses canary shares with the sticky flag, and shadow lists', () => {
    expect([...parseCanary('credit=0.1, fraud=0.05:sticky')]).toEqual([
      ['credit', { share: 0.1, sticky: false }],
      ['fraud', { share: 0.05, sticky: true }],
    ]);
    expect(parseCanary('').size).toBe(0);
    expect([...parseShadow('credit, fraud')]).toEqual(['credit', 'fraud']);
  });

  it('draws per request, or keeps a caller on one side when sticky', () => {
    expect(takesCanary({ share: 0.3, sticky: false }, 'm', 'a', () => 0.29)).toBe(true);
    expect(takesCanary({ share: 0.3, sticky: false }, 'm', 'a', () => 0.3)).toBe(false);
    expect(takesCanary({ share: 0, sticky: false }, 'm', 'a', () => 0)).toBe(false);
    const rule = { share: 0.5, sticky: true };
    const callers = Array.from({ length: 2000 }, (_, i) => `user:${i}`);
    const first = callers.map((c) => takesCanary(rule, 'm', c));
    expect(callers.map((c) => takesCanary(rule, 'm', c))).toEqual(first);
    // The hash spreads callers evenly: 2000 callers at 0.5 land well within 40–60%.
    const share = first.filter(Boolean).length / callers.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    expect(unitHash('x')).toBeGreaterThanOrEqual(0);
    expect(unitHash('x')).toBeLessThan(1);
  });
});
