import type { ReferenceProfile } from '../../ml';
import type { BucketAggregate } from '../buckets/bucket-aggregate';
import type { FeatureHistogramDto } from './dto/monitoring.dto';

type Sides = Pick<FeatureHistogramDto, 'kind' | 'edges' | 'values' | 'training' | 'live'>;

const total = (xs: ReadonlyArray<number>) => xs.reduce((a, b) => a + b, 0);

/**
 * A feature's live counts in a window beside its training counts, on the training bins (numbers)
 * or values (categories); null when the profile has no such feature. Live category values beyond
 * the training list (known to the model, or unseen) are `other` and `unseen`.
 */
export function featureHistogram(
  feature: string,
  profile: ReferenceProfile,
  live: BucketAggregate | null,
): Sides | null {
  const ref = profile.features.find((f) => f.name === feature)?.profile;
  if (!ref) return null;
  if (ref.kind === 'numeric') {
    const h = ref.histogram;
    const n = live?.numeric.find((x) => x.name === feature);
    const k = h ? h.counts.length : 0;
    const counts = n && n.counts.length === k ? n.counts : new Array<number>(k).fill(0);
    return {
      kind: 'numeric',
      edges: h?.edges ?? [],
      training: {
        rows: ref.count,
        counts: h?.counts ?? [],
        below: h?.below ?? 0,
        above: h?.above ?? 0,
        missing: ref.missing,
      },
      live: {
        rows: total(counts) + (n?.below ?? 0) + (n?.above ?? 0),
        counts,
        below: n?.below ?? 0,
        above: n?.above ?? 0,
        missing: n?.missing ?? 0,
      },
    };
  }
  const c = live?.categories.find((x) => x.name === feature);
  const listed = ref.top.length;
  const counts = ref.top.map((_, i) => c?.counts[i] ?? 0);
  const unseen = (c?.unseen ?? []).map(([value, count]) => ({ value, count }));
  const other = total(c?.counts.slice(listed) ?? []) + (c?.unseenOther ?? 0);
  return {
    kind: 'category',
    values: ref.top.map((t) => t.value),
    training: { rows: ref.count, counts: ref.top.map((t) => t.count), other: ref.other, missing: ref.missing },
    live: {
      rows: total(counts) + other + total(unseen.map((u) => u.count)),
      counts,
      other,
      unseen,
      missing: c?.missing ?? 0,
    },
  };
}
