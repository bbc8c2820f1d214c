import type { BundleMeta, NumericProfile, Task } from '../../ml';

/** A numeric feature: the reference bins' edges (empty when training had no value of it). */
export interface NumericPlan {
  name: string;
  edges: Float64Array;
}

/**
 * A category (or boolean) feature: the values counted one by one, the reference profile's listed
 * values first (`listed` of them), then the model's other known categories (an older profile lists
 * 20; the reference holds those under `other`). Anything else is unseen.
 */
export interface CategoryPlan {
  name: string;
  values: string[];
  listed: number;
  index: Map<string, number>;
}

export interface PredictionPlan {
  task: Task;
  /** Classes whose predicted labels are counted (classification), in the bundle's order. */
  classes: string[];
  classIndex: Map<string, number>;
  /** Classes whose probability gets a histogram: the positive class (binary) or every class. */
  probabilityClasses: string[];
  /** Regression: the reference prediction bins (empty without them). */
  valueEdges: Float64Array;
}

/** What a model version's buckets count, derived once from its bundle (the reference profile). */
export interface BucketPlan {
  numeric: NumericPlan[];
  categories: CategoryPlan[];
  prediction: PredictionPlan;
}

const plans = new WeakMap<BundleMeta, BucketPlan>();

/** The plan of a loaded version; built at its first request, kept as long as its metadata lives. */
export function planFor(meta: BundleMeta): BucketPlan {
  let plan = plans.get(meta);
  if (!plan) plans.set(meta, (plan = buildPlan(meta)));
  return plan;
}

export function buildPlan(meta: BundleMeta): BucketPlan {
  const features = meta.referenceProfile?.features ?? [];
  const known = new Map(
    meta.preprocessing.features.flatMap((f) => (f.kind === 'category' ? [[f.name, f.categories] as const] : [])),
  );
  const numeric: NumericPlan[] = [];
  const categories: CategoryPlan[] = [];
  for (const { name, profile } of features) {
    if (profile.kind === 'numeric') {
      numeric.push({ name, edges: Float64Array.from(profile.histogram?.edges ?? []) });
      continue;
    }
    const values = profile.top.map((t) => t.value);
    const listed = values.length;
    const index = new Map(values.map((v, i) => [v, i]));
    for (const v of known.get(name) ?? []) if (!index.has(v)) index.set(v, values.push(v) - 1);
    categories.push({ name, values, listed, index });
  }
  const { task, classes = [], positiveClass } = meta.target;
  return {
    numeric,
    categories,
    prediction: {
      task,
      classes,
      classIndex: new Map(classes.map((c, i) => [c, i])),
      probabilityClasses: task === 'binary' && positiveClass ? [positiveClass] : task === 'multiclass' ? classes : [],
      valueEdges: Float64Array.from(
        task === 'regression'
          ? ((meta.referenceProfile?.prediction as NumericProfile | undefined)?.histogram?.edges ?? [])
          : [],
      ),
    },
  };
}
