import { probabilityBin } from '../../ml';
import { RealisedTally, type RealisedFigures, type TallyTask } from './realised-tally';

/** Bins of the probability differences' histogram (their p90 is read from it, to 1/DIFF_BINS). */
export const DIFF_BINS = 1000;

type Output = Record<string, unknown>;

/** A shadow against the predictions it shadowed, on the same requests. */
export interface ShadowComparison {
  pairs: number;
  /** Pairs whose answered prediction has a label. */
  labelledPairs: number;
  /** Classification: the share of pairs with the same predicted class; null for regression. */
  agreement: number | null;
  /** Regression: the mean |shadow − answered| of the predicted values; null for classification. */
  valueDiffMean: number | null;
  /**
   * Classification: mean and 90th percentile of the total variation distance between the two
   * probability vectors (½ Σ |p − q|), which for a binary model is |Δ P(positive class)|.
   */
  probabilityDiffMean: number | null;
  probabilityDiffP90: number | null;
  /** Realised figures of the shadow and of the answered predictions on the same labelled pairs. */
  shadow: RealisedFigures;
  answered: RealisedFigures;
}

/** Aggregates shadow pairs one at a time, in memory that does not grow with the window. */
export class ShadowTally {
  private pairs = 0;
  private agreeing = 0;
  private valueDiffs = 0;
  private probabilityPairs = 0;
  private probabilityDiffSum = 0;
  private readonly probabilityDiffs = new Array<number>(DIFF_BINS).fill(0);
  private readonly shadowQuality: RealisedTally;
  private readonly answeredQuality: RealisedTally;
  private labelled = 0;

  constructor(readonly task: TallyTask) {
    this.shadowQuality = new RealisedTally(task);
    this.answeredQuality = new RealisedTally(task);
  }

  add(shadow: Output, answered: Output, label: string | number | null): void {
    this.pairs++;
    if (this.task.task === 'regression') {
      if (typeof shadow.value === 'number' && typeof answered.value === 'number')
        this.valueDiffs += Math.abs(shadow.value - answered.value);
    } else {
      if (shadow.label === answered.label) this.agreeing++;
      const d = totalVariation(shadow.probabilities, answered.probabilities);
      if (d !== null) {
        this.probabilityPairs++;
        this.probabilityDiffSum += d;
        this.probabilityDiffs[probabilityBin(d, DIFF_BINS)]++;
      }
    }
    if (label === null) return;
    this.labelled++;
    this.shadowQuality.add(shadow, label);
    this.answeredQuality.add(answered, label);
  }

  result(): ShadowComparison {
    const regression = this.task.task === 'regression';
    const probabilities = !regression && this.probabilityPairs > 0;
    return {
      pairs: this.pairs,
      labelledPairs: this.labelled,
      agreement: regression || this.pairs === 0 ? null : this.agreeing / this.pairs,
      valueDiffMean: regression && this.pairs > 0 ? this.valueDiffs / this.pairs : null,
      probabilityDiffMean: probabilities ? this.probabilityDiffSum / this.probabilityPairs : null,
      probabilityDiffP90: probabilities ? upperQuantile(this.probabilityDiffs, 0.9) : null,
      shadow: this.shadowQuality.figures(),
      answered: this.answeredQuality.figures(),
    };
  }
}

/** ½ Σ |p − q| over the classes of either vector (a class one lacks counts as 0); null unless both are there. */
export function totalVariation(p: unknown, q: unknown): number | null {
  if (!p || !q || typeof p !== 'object' || typeof q !== 'object') return null;
  const a = p as Record<string, unknown>;
  const b = q as Record<string, unknown>;
  let sum = 0;
  for (const cls of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = typeof a[cls] === 'number' ? a[cls] : 0;
    const y = typeof b[cls] === 'number' ? b[cls] : 0;
    sum += Math.abs(x - y);
  }
  return Math.min(1, sum / 2);
}

/** The upper edge of the bin holding the q-quantile of a histogram over [0, 1]: within 1/bins above it. */
function upperQuantile(counts: number[], q: number): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let b = 0; b < counts.length; b++) {
    seen += counts[b];
    if (seen >= rank) return (b + 1) / counts.length;
  }
  return 1;
}
