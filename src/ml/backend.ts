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
  if (name === 'tensorflow') {
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
