import { validationFailed } from '../../common/errors/common.errors';
import {
  RegistryError,
  RegistryErrorCode,
  type AliasService,
  type ModelRegistryService,
  type TrackingService,
} from '../../registry';
import { ExperimentTrackerAdapter } from './experiment-tracker.adapter';

// Each double has only the members a test stubs: calling any other one throws.
function adapter(stubs: {
  move?: () => Promise<unknown>;
  versionForAlias?: () => Promise<unknown>;
  getRun?: () => Promise<unknown>;
}) {
  const tracking = { getRun: stubs.getRun } as unknown as TrackingService;
  const models = { versionForAlias: stubs.versionForAlias } as unknown as ModelRegistryService;
  const aliases = { move: stubs.move } as unknown as AliasService;
  return new ExperimentTrackerAdapter(tracking, models, aliases);
}

const rejecting = (err: Error) => () => Promise.reject(err);

describe('ExperimentTrackerAdapter.moveAlias', () => {
  it('reports a quality gate refusal with its reasons instead of failing', async () => {
    const refusal = new RegistryError(
      RegistryErrorCode.QUALITY_GATE_REFUSED,
      'Quality gate refused moving production to version 2',
      [{ field: 'metrics.roc_auc', message: 'worse than version 1' }],
    );
    await expect(
      adapter({ move: rejecting(refusal) }).moveAlias('credit', 'production', 2, 'job', 'user:u'),
    ).resolves.toEqual({
      moved: false,
      reasons: ['Quality gate refused moving production to version 2', 'worse than version 1'],
    });
  });

  it.each([RegistryErrorCode.INVALID_ALIAS_NAME, RegistryErrorCode.UNKNOWN_VERSION])(
    'reports %s as a refused move',
    async (code) => {
      const result = await adapter({ move: rejecting(new RegistryError(code, 'refused')) }).moveAlias(
        'credit',
        '1.x',
        2,
        'job',
        'user:u',
      );
      expect(result).toEqual({ moved: false, reasons: ['refused'] });
    },
  );

  it('fails on any other error, whatever status it answers', async () => {
    const missing = new RegistryError(RegistryErrorCode.MODEL_NOT_FOUND, 'Model credit not found');
    await expect(
      adapter({ move: rejecting(missing) }).moveAlias('credit', 'production', 2, 'job', 'user:u'),
    ).rejects.toBe(missing);
    const invalid = validationFailed([{ field: 'version', message: 'x' }]);
    await expect(
      adapter({ move: rejecting(invalid) }).moveAlias('credit', 'production', 2, 'job', 'user:u'),
    ).rejects.toBe(invalid);
  });
});

describe('ExperimentTrackerAdapter.recipeOf', () => {
  it.each([RegistryErrorCode.MODEL_NOT_FOUND, RegistryErrorCode.ALIAS_NOT_FOUND])(
    'has no recipe on %s',
    async (code) => {
      await expect(
        adapter({ versionForAlias: rejecting(new RegistryError(code, 'not found')) }).recipeOf('credit', 'production'),
      ).resolves.toBeNull();
    },
  );

  it('fails on any other error, also another not-found', async () => {
    const other = new RegistryError(RegistryErrorCode.RUN_NOT_FOUND, 'Run r not found');
    await expect(adapter({ versionForAlias: rejecting(other) }).recipeOf('credit', 'production')).rejects.toBe(other);
  });

  it("reads the recipe from the run of the alias's version", async () => {
    const recipe = {
      dataset: 'credit',
      target: 'Status',
      task: 'binary',
      family: 'logistic',
      hyperparameters: {},
      seed: 7,
    };
    const tracker = adapter({
      versionForAlias: async () => ({ runId: 'r1' }),
      getRun: async () => ({ tags: { recipe: JSON.stringify(recipe) } }),
    });
    await expect(tracker.recipeOf('credit', 'production')).resolves.toEqual(recipe);
  });
});
