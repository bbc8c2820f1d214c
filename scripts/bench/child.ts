import { join } from 'node:path';

/** Whether this benchmark runs as TypeScript (ts-node) rather than compiled (npm run bench:*). */
export const UNDER_TS_NODE = __filename.endsWith('.ts');

/**
 * How to start the benchmark child `name` (a file next to this one). Compiled, it runs as plain
 * node, as production does. Under ts-node the child needs ts-node too, and ts-node loads node:repl,
 * which loads node:domain, which wraps every EventEmitter.emit: about a tenth of a small request's
 * cost, so such figures are not production's.
 */
export function benchChild(name: string): { path: string; execArgv: string[] } {
  return UNDER_TS_NODE
    ? { path: join(__dirname, `${name}.ts`), execArgv: ['-r', 'ts-node/register/transpile-only'] }
    : { path: join(__dirname, `${name}.js`), execArgv: [] };
}

/** Printed first by a benchmark run under ts-node. */
export function warnIfTsNode(): void {
  if (UNDER_TS_NODE) process.stderr.write('note: running under ts-node (node:domain loaded); `npm run bench:<name>` measures the compiled code\n');
}
