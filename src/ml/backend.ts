import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** Which backend runs and, when it is not the native one, why and how to get it (logs, /health). */
export interface BackendReport {
  backend: string;
  native: boolean;
  /** Why `@tensorflow/tfjs-node` is not in use (absent when native). */
  reason?: string;
  /** How to run on the native backend (absent when native). */
  howToGetNative?: string;
}

const HOW_TO_GET_NATIVE =
  'build the Docker image with internet access, which installs it (docker build --build-arg TFJS_NODE=required ., docs/docker.md)';

let ready: Promise<BackendReport> | undefined;

/**
 * Chooses the TensorFlow.js backend once per process: native `tensorflow` (optional dependency
 * `@tensorflow/tfjs-node`, absent where its install could not download libtensorflow), else
 * `wasm` (SIMD, one thread), else `cpu`. `preferred` is tried first. Idempotent: later calls
 * return the backend chosen by the first one. Resolves to the backend actually in use.
 */
export async function initBackend(preferred?: BackendName): Promise<string> {
  return (await backendReport(preferred)).backend;
}

/** The backend initBackend chose (choosing it on the first call), with why it is not native. */
export function backendReport(preferred?: BackendName): Promise<BackendReport> {
  ready ??= chooseBackend(preferred);
  return ready;
}

/** The start-up log line: the backend in use and, when not native, why and how to get native. */
export function describeBackend(report: BackendReport): string {
  if (report.native) return `TensorFlow.js backend: ${report.backend} (native)`;
  return `TensorFlow.js backend: ${report.backend} (native tfjs-node unavailable: ${report.reason}; to get it, ${report.howToGetNative})`;
}

/** One choice, not remembered (initBackend remembers the first); `loadNative` loads tfjs-node. */
export async function chooseBackend(preferred?: BackendName, loadNative = loadTfjsNode): Promise<BackendReport> {
  const order = preferred ? [preferred, ...ORDER.filter((b) => b !== preferred)] : ORDER;
  let notNative = `not tried: the ${preferred} backend was asked for`;
  for (const name of order) {
    try {
      await tryBackend(name, loadNative);
      const backend = tf.getBackend();
      return backend === 'tensorflow'
        ? { backend, native: true }
        : { backend, native: false, reason: notNative, howToGetNative: HOW_TO_GET_NATIVE };
    } catch (err) {
      // Next in line: a missing native binding or wasm file is expected on some machines.
      if (name === 'tensorflow') notNative = whyNotNative(err);
    }
  }
  throw new Error('no TensorFlow.js backend could be initialised');
}

/** Names the usual causes in words; tfjs-node's own advice (`npm rebuild`) is refused by allowScripts. */
export function whyNotNative(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (message.startsWith("Cannot find module '@tensorflow/tfjs-node'")) return '@tensorflow/tfjs-node is not installed';
  if (message.includes('tfjs_binding.node'))
    return 'its native binding is not installed: npm ci does not run the install script that downloads libtensorflow, and an offline Docker build cannot';
  return message.split('\n')[0].slice(0, 300);
}

async function tryBackend(name: BackendName, loadNative: () => Promise<unknown>): Promise<void> {
  if (!(await register(name, loadNative))) throw new Error(`it loads but the ${name} backend does not initialise`);
  if (!computes()) throw new Error(`it loads but the ${name} backend computes 1 + 2 wrong`);
}

/** A backend that registers can still fail on its first op (see restoreNodeUtil): try one. */
function computes(): boolean {
  return withoutTfjsWarnings(() => tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]) === 3);
}

/**
 * The cpu backend's first tensor prints a banner in Node ("install our node backend"), unless
 * tfjs runs in PROD mode. That first tensor is this probe's: PROD is on for it only, and the app
 * reports the backend itself (describeBackend), with how to get the native one.
 */
function withoutTfjsWarnings<T>(probe: () => T): T {
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true);
  try {
    return probe();
  } finally {
    tf.env().set('PROD', prod);
  }
}

/** Registers the 'tensorflow' backend as a side effect; throws when the native addon is missing. */
async function loadTfjsNode(): Promise<unknown> {
  restoreNodeUtil();
  return import('@tensorflow/tfjs-node');
}

async function register(name: BackendName, loadNative: () => Promise<unknown>): Promise<boolean> {
  if (name === 'tensorflow') {
    await loadNative();
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
