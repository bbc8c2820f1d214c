import type * as tf from '@tensorflow/tfjs';
import type { BundleMeta } from './bundle';
import { Predictor } from './predictor';
import type { ColumnSpec } from './schema';

/** A predictor for validation only: validate reads the signature, never the network. */
function predictorFor(features: ColumnSpec[]): Predictor {
  const meta = {
    signature: { features, target: { name: 'y', type: 'category', task: 'binary' } },
  } as unknown as BundleMeta;
  return new Predictor(meta, {} as tf.LayersModel);
}

const valuesOf = (p: Predictor, record: unknown) => {
  const r = p.validate(record);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.values;
};

describe('Predictor.validate', () => {
  it('copies exactly the features, missing nullable ones as null, nothing inherited', () => {
    const p = predictorFor([
      { name: 'age', type: 'number', nullable: false },
      { name: 'constructor', type: 'category', nullable: true },
      { name: 'toString', type: 'category', nullable: true },
    ]);
    const values = valuesOf(p, { age: 3, toString: 'x' });
    expect(values).toEqual({ age: 3, constructor: null, toString: 'x' });
    expect(Object.keys(values)).toEqual(['age', 'constructor', 'toString']);
    expect(JSON.stringify(values)).toBe('{"age":3,"constructor":null,"toString":"x"}');
  });

  it('keeps a feature named __proto__ as plain data, never as the prototype', () => {
    const p = predictorFor([
      { name: '__proto__', type: 'category', nullable: false },
      { name: 'n', type: 'number', nullable: false },
    ]);
    const values = valuesOf(p, JSON.parse('{"__proto__": "polluted", "n": 1}'));
    expect(Object.hasOwn(values, '__proto__')).toBe(true);
    expect(values['__proto__']).toBe('polluted');
    expect(JSON.stringify(values)).toBe('{"__proto__":"polluted","n":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an object sent for a feature named __proto__, naming it', () => {
    const p = predictorFor([{ name: '__proto__', type: 'category', nullable: false }]);
    const r = p.validate(JSON.parse('{"__proto__": {"polluted": true}}'));
    expect(r).toMatchObject({ ok: false, errors: [{ field: '__proto__', code: 'invalid' }] });
  });
});
