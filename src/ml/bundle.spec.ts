import { initBackend } from './backend';
import { BUNDLE_FORMAT_VERSION, parseBundle } from './bundle';
import { BundleFormatError } from './errors';

describe('initBackend', () => {
  it('is idempotent: the first choice stays', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(await initBackend('wasm')).toBe('cpu');
  });
});

describe('parseBundle', () => {
  const minimal = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    signature: { features: [], target: { name: 'y', type: 'category', task: 'binary' } },
    preprocessing: { features: [], featureNames: [] },
    target: { name: 'y', task: 'binary', classes: ['no', 'yes'], positiveClass: 'yes' },
    model: { modelTopology: {}, weightSpecs: [], weightData: '' },
  };

  it('accepts a well-formed bundle, with or without a calibration (bundles made before it have none)', () => {
    expect(parseBundle(JSON.stringify(minimal)).formatVersion).toBe(1);
    expect(parseBundle(JSON.stringify({ ...minimal, calibration: null })).calibration).toBeNull();
    const calibration = { maps: [{ class: 'yes', map: { method: 'platt', slope: 1.2, intercept: -0.1 } }] };
    expect(parseBundle(JSON.stringify({ ...minimal, calibration })).calibration).toEqual(calibration);
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '42'],
    ['another format version', JSON.stringify({ ...minimal, formatVersion: 99 })],
    ['no model', JSON.stringify({ ...minimal, model: undefined })],
    ['no signature', JSON.stringify({ ...minimal, signature: undefined })],
    [
      'a calibration of an unknown method',
      JSON.stringify({ ...minimal, calibration: { maps: [{ class: 'yes', map: { method: 'beta' } }] } }),
    ],
    [
      'a decreasing isotonic map',
      JSON.stringify({
        ...minimal,
        calibration: { maps: [{ class: 'yes', map: { method: 'isotonic', x: [0, 1], y: [0.9, 0.1] } }] },
      }),
    ],
    [
      'a calibration of another class',
      JSON.stringify({
        ...minimal,
        calibration: { maps: [{ class: 'no', map: { method: 'platt', slope: 1, intercept: 0 } }] },
      }),
    ],
  ])('refuses %s', (_name, text) => {
    expect(() => parseBundle(Buffer.from(text))).toThrow(BundleFormatError);
  });
});
