import { isDeepStrictEqual } from 'node:util';
// The module itself, not src/ml's entry: the entry loads TensorFlow.js, which the demo does not need.
import { resolveHyperparameters } from '../../src/ml/hyperparameters';

/** What the demo trains on the credit dataset; `epochs` overrides the default (DEMO_EPOCHS, tests). */
export function demoRecipe(epochs?: number) {
  return {
    dataset: 'credit',
    target: 'Status',
    task: 'binary' as const,
    positiveClass: 'bad',
    family: 'mlp' as const,
    seed: 42,
    hyperparameters: epochs === undefined ? {} : { epochs },
  };
}

export type DemoRecipe = ReturnType<typeof demoRecipe>;

/**
 * Whether the recipe recorded on a run (its `recipe` tag) is the one the demo would train now: each
 * field the demo asks for, the hyperparameters as the API resolves them (defaults included, so a
 * changed default trains again), and every column as a feature. Fields the demo leaves to the API
 * are not compared, so a recipe that records more (e.g. an inferred field) still matches.
 */
export function sameRecipe(recorded: Record<string, unknown> | null | undefined, wanted: DemoRecipe): boolean {
  if (!recorded || recorded.features !== undefined) return false;
  const { hyperparameters, ...fields } = wanted;
  return (
    Object.entries(fields).every(([key, value]) => recorded[key] === value) &&
    isDeepStrictEqual(recorded.hyperparameters, resolveHyperparameters(hyperparameters))
  );
}
