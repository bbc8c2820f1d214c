import { RegistryError, RegistryErrorCode } from '../../registry';
import { isAliasNotFound, missingAlias } from './missing-alias';

describe('missingAlias', () => {
  it('lists the versions, newest first, and says how to call one or move the alias', () => {
    const err = missingAlias('pima', 'production', { newest: [2, 1], total: 2 });
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.code).toBe(RegistryErrorCode.ALIAS_NOT_FOUND);
    expect(err.message).toBe(
      'Alias production of model pima not found. Its versions: 2, 1. Call one with ?version=2, or move the alias ' +
        'to one: PUT /models/pima/aliases/production with {"version": 2, "reason": "…"} (through the quality gate).',
    );
    expect(err.details).toEqual([
      { field: 'alias', message: 'pima has no alias production; its versions: 2, 1', versions: [2, 1], total: 2 },
    ]);
  });

  it('says how many there are when it lists only the newest', () => {
    const newest = [57, 56, 55, 54, 53, 52, 51, 50, 49, 48];
    const err = missingAlias('pima', 'staging', { newest, total: 57 });
    expect(err.message).toContain('Its newest versions: 57, 56, 55, 54, 53, 52, 51, 50, 49, 48 (57 in all).');
    expect(err.message).toContain('?version=57');
    expect(err.details[0]).toMatchObject({ versions: newest, total: 57 });
  });

  it('says so when the model has no versions, and how to train one', () => {
    const err = missingAlias('pima', 'production', { newest: [], total: 0 });
    expect(err.message).toMatch(/^Alias production of model pima not found, and the model has no versions: train one/);
    expect(err.message).toContain('POST /training-jobs with "model": "pima"');
    expect(err.message).toContain('POST /models/pima/versions');
    expect(err.details).toEqual([{ field: 'alias', message: 'pima has no versions', versions: [], total: 0 }]);
  });

  it('recognises only the missing alias', () => {
    expect(isAliasNotFound(missingAlias('m', 'a', { newest: [], total: 0 }))).toBe(true);
    expect(isAliasNotFound(new RegistryError(RegistryErrorCode.MODEL_NOT_FOUND, 'Model m not found'))).toBe(false);
    expect(isAliasNotFound(new Error('Alias a of model m not found'))).toBe(false);
  });
});
