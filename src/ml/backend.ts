import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let ready: Promise<string> | undefined;

/**
 * Chooses the TensorFlow.js backend once per process: native `tensorflow` (optional dependency
 * `@tensorflow/tfjs-node`, absent where its install could not download libtensorflow), else
 * `wasm` (SIMD, one thread), else `cpu`. `preferred` is tried first. Idempotent: later calls
 * return the backend chosen by the first one. Resolves to the backend actually in use.
 */
export function initBackend(preferred?: BackendName): Promise<string> {
  ready ??= choose(preferred);
  return ready;
}

async function choose(preferred?: BackendName): Promise<string> {
  const order = preferred ? [preferred, ...ORDER.filter((b) => b !== preferred)] : ORDER;
  for (const name of order) {
    try {
      if (await tryBackend(name)) return tf.getBackend();
    } catch {
      // Next in line: a missing native binding or wasm file is expected on some machines.
    }
  }
  throw new Error('no TensorFlow.js backend could be initialised');
}

async function tryBackend(name: BackendName): Promise<boolean> {
  return (await register(name)) && computes();
}

/** A backend that registers can still fail on its first op (see restoreNodeUtil): try one. */
function computes(): boolean {
  return tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]) === 3;
}

async function register(name: BackendName): Promise<boolean> {
  if (name === 'tensorflow') {
    restoreNodeUtil();
    // Registers the 'tensorflow' backend as a side effect; throws when the native addon is missing.
    await import('@tensorflow/tfjs-node');
    return tf.setBackend('tensorflow');
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    // In Node the .wasm files are read from disk: point at the package's dist folder (trailing
    // slash: it is a prefix). Threads need workers and cross-origin isolation; one thread is
    // also what keeps results reproducible.
    wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return tf.setBackend('wasm');
  }
  return tf.setBackend('cpu');
}

type UtilModule = Record<string, unknown>;

/**
 * @tensorflow/tfjs-node 4.22 (the last release) calls `util.isNullOrUndefined`, which Node 23
 * removed, so every op of the native backend throws on the Node this app runs on. The fix is
 * merged upstream (tensorflow/tfjs#8425) but not released (tensorflow/tfjs#8609): until it is,
 * put back the removed helpers it calls, where they are missing. It reads them from the module
 * object at call time, so this works before or after it is loaded. `require`, not `import`:
 * TypeScript's import of a CommonJS module is a copy, and the helpers must be on the module itself.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export function restoreNodeUtil(util: UtilModule = require('node:util') as UtilModule): void {
  util.isNullOrUndefined ??= (v: unknown) => v === null || v === undefined;
  util.isArray ??= Array.isArray;
}
