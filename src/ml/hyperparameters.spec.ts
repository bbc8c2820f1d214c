import { MlInputError } from './errors';
import { DEFAULT_HYPERPARAMETERS, resolveHyperparameters } from './hyperparameters';

describe('resolveHyperparameters', () => {
  it('fills in defaults', () => {
    expect(resolveHyperparameters({ epochs: 3 })).toEqual({
      ...DEFAULT_HYPERPARAMETERS,
      epochs: 3,
    });
  });

  it.each([
    [{ epochs: 0 }, 'hyperparameters.epochs'],
    [{ epochs: 2.5 }, 'hyperparameters.epochs'],
    [{ learningRate: 0 }, 'hyperparameters.learningRate'],
    [{ learningRate: Number.NaN }, 'hyperparameters.learningRate'],
    [{ dropout: 1 }, 'hyperparameters.dropout'],
    [{ hiddenUnits: [64, 0] }, 'hyperparameters.hiddenUnits'],
    [{ classWeights: 'heavy' }, 'hyperparameters.classWeights'],
    [{ momentum: 0.9 }, 'hyperparameters.momentum'],
  ])('refuses %j', (given, field) => {
    let error: unknown;
    try {
      resolveHyperparameters(given as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MlInputError);
    expect((error as MlInputError).field).toBe(field);
  });
});
