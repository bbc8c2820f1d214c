/** Small statistics the benchmarks print. */
export const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);

export const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `median (min–max)` of `v`, each with `digits` decimals. */
export const spread = (v: number[], digits = 1): string =>
  `${median(v).toFixed(digits)} (${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)})`;
