import { resolveHyperparameters } from '../../src/ml/hyperparameters';
import { demoRecipe, sameRecipe } from './recipe';

/** The recipe as the API records it for the demo's request (training-jobs.service.ts, recipeFor). */
function recorded(epochs?: number, overrides: Record<string, unknown> = {}) {
  const { hyperparameters, ...fields } = demoRecipe(epochs);
  return JSON.parse(
    JSON.stringify({ ...fields, hyperparameters: resolveHyperparameters(hyperparameters), ...overrides }),
  );
}

describe('sameRecipe', () => {
  it('matches what the API recorded for the same request, with or without an epochs override', () => {
    expect(sameRecipe(recorded(), demoRecipe())).toBe(true);
    expect(sameRecipe(recorded(3), demoRecipe(3))).toBe(true);
  });

  it('ignores fields the demo leaves to the API', () => {
    expect(sameRecipe(recorded(3, { inferredTask: true }), demoRecipe(3))).toBe(true);
  });

  it.each([
    ['another positive class', recorded(3, { positiveClass: 'good' })],
    ['another family', recorded(3, { family: 'logistic' })],
    ['another seed', recorded(3, { seed: 7 })],
    ['other epochs', recorded(4)],
    ['a changed default', recorded(3, { hyperparameters: { ...resolveHyperparameters({ epochs: 3 }), dropout: 0.5 } })],
    ['a subset of the features', recorded(3, { features: ['Seniority'] })],
  ])('does not match a run trained with %s', (_, run) => {
    expect(sameRecipe(run, demoRecipe(3))).toBe(false);
  });

  it('does not match a run without a recorded recipe', () => {
    expect(sameRecipe(null, demoRecipe())).toBe(false);
  });
});
