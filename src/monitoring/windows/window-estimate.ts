import { estimateBinaryQuality, estimateMulticlassQuality, type ProbabilityHistogram } from '../../ml';
import type { BucketAggregate } from '../buckets/bucket-aggregate';
import type { QualityEstimate } from './window-results';
import type { VersionReference } from './version-references';

/**
 * CBPE of a window from its summed probability histograms and the bundle's calibration maps.
 * Regression has no estimate (CBPE needs class probabilities): null, and only realised figures.
 */
export function estimateWindowQuality(agg: BucketAggregate, ref: VersionReference): QualityEstimate | null {
  const { target, calibration } = ref;
  const p = agg.prediction;
  if (agg.rows === 0) return null;
  if (target.task === 'binary') {
    const [positive] = p.probabilities;
    if (!positive || ref.threshold === null || !target.positiveClass) return null;
    return estimateBinaryQuality({
      histogram: positive,
      threshold: ref.threshold,
      positiveClass: target.positiveClass,
      calibration: calibration?.maps[0]?.map ?? null,
    });
  }
  if (target.task === 'multiclass' && target.classes && p.probabilities.length === target.classes.length) {
    const predicted = p.probabilities.map((h) => h.predicted);
    return estimateMulticlassQuality({
      classes: target.classes,
      histograms: p.probabilities,
      predictedHistograms: predicted.every((h) => h) ? (predicted as ProbabilityHistogram[]) : null,
      predictedCounts: p.classes,
      calibration: calibration?.maps.map((m) => m.map) ?? null,
    });
  }
  return null;
}
