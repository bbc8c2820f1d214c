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
    target: { name: 'y', task: 'binary' },
    model: { modelTopology: {}, weightSpecs: [], weightData: '' },
  };

  it('accepts a well-formed bundle', () => {
    expect(parseBundle(JSON.stringify(minimal)).formatVersion).toBe(1);
  });

  it.each([
    ['not JSON', '{'],
    ['not an object', '42'],
    ['another format version', JSON.stringify({ ...minimal, formatVersion: 99 })],
    ['no model', JSON.stringify({ ...minimal, model: undefined })],
    ['no signature', JSON.stringify({ ...minimal, signature: undefined })],
  ])('refuses %s', (_name, text) => {
    expect(() => parseBundle(Buffer.from(text))).toThrow(BundleFormatError);
  });
});
