import { chooseBackend, describeBackend, restoreNodeUtil, whyNotNative } from './backend';

/** What @tensorflow/tfjs-node 4.22 throws where its install script has not run (this machine, CI). */
const NO_BINDING =
  'The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \nPlease run command ' +
  "'npm rebuild @tensorflow/tfjs-node --build-addon-from-source' to rebuild the native addon module.";

// First in the file: the cpu backend prints its banner on its first tensor of the process only.
describe('chooseBackend', () => {
  it('prints no "install our node backend" banner when it falls back to cpu: the app reports the backend itself', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect((await chooseBackend('cpu')).backend).toBe('cpu');
      expect(warn.mock.calls.flat().join(' ')).not.toMatch(/node backend/);
    } finally {
      warn.mockRestore();
    }
  });

  it('says why the native backend is not in use and how to get it', async () => {
    const report = await chooseBackend(undefined, () => Promise.reject(new Error(NO_BINDING)));
    expect(report).toEqual({
      backend: 'wasm',
      native: false,
      reason:
        'its native binding is not installed: npm ci does not run the install script that downloads libtensorflow, and an offline Docker build cannot',
      howToGetNative: expect.stringContaining('docker build --build-arg TFJS_NODE=required'),
    });
  });

  it('says the native backend was not tried when another one was asked for', async () => {
    expect(await chooseBackend('cpu')).toMatchObject({
      backend: 'cpu',
      native: false,
      reason: 'not tried: the cpu backend was asked for',
    });
  });

  it('reports what went wrong when tfjs-node loads but registers no backend', async () => {
    const report = await chooseBackend(undefined, () => Promise.resolve({}));
    expect(report).toMatchObject({ backend: 'wasm', native: false, reason: expect.stringMatching(/tensorflow/) });
  });
});

describe('whyNotNative', () => {
  it.each([
    ['the binding is missing', new Error(NO_BINDING), /native binding is not installed/],
    [
      'the package is absent',
      Object.assign(new Error("Cannot find module '@tensorflow/tfjs-node'\nRequire stack: x"), {
        code: 'MODULE_NOT_FOUND',
      }),
      /^@tensorflow\/tfjs-node is not installed$/,
    ],
    ['anything else: its first line', new Error('first line\nsecond line'), /^first line$/],
  ])('names the cause: %s', (_case, err, expected) => {
    expect(whyNotNative(err)).toMatch(expected);
  });
});

describe('describeBackend', () => {
  it('is one line naming the backend, and when not native why and how to get it', () => {
    expect(describeBackend({ backend: 'tensorflow', native: true })).toBe('TensorFlow.js backend: tensorflow (native)');
    expect(
      describeBackend({ backend: 'wasm', native: false, reason: 'R', howToGetNative: 'build the Docker image' }),
    ).toBe('TensorFlow.js backend: wasm (native tfjs-node unavailable: R; to get it, build the Docker image)');
  });
});

describe('restoreNodeUtil (tfjs-node 4.22 on Node >= 23)', () => {
  it('puts back the util helpers tfjs-node calls where the runtime removed them', () => {
    const util: Record<string, unknown> = {};
    restoreNodeUtil(util);
    const isNullOrUndefined = util.isNullOrUndefined as (v: unknown) => boolean;
    expect([null, undefined, 0, '', false, {}].map(isNullOrUndefined)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(util.isArray).toBe(Array.isArray);
  });

  it('leaves helpers the runtime still has alone', () => {
    const own = (): boolean => true;
    const util: Record<string, unknown> = { isNullOrUndefined: own, isArray: own };
    restoreNodeUtil(util);
    expect(util.isNullOrUndefined).toBe(own);
    expect(util.isArray).toBe(own);
  });

  it('gives the process util module a working isNullOrUndefined, as tfjs-node reads it', () => {
    restoreNodeUtil();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const util = require('node:util') as { isNullOrUndefined: (v: unknown) => boolean };
    expect(util.isNullOrUndefined(null)).toBe(true);
    expect(util.isNullOrUndefined(1)).toBe(false);
  });
});
