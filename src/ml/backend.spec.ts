import { restoreNodeUtil } from './backend';

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
