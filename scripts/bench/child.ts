import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/support/repo-root';

/** Whether this benchmark runs as TypeScript (ts-node) rather than compiled (npm run bench:*). */
export const UNDER_TS_NODE = __filename.endsWith('.ts');

/**
 * How to start the benchmark child `name` (a file next to this one). Compiled, it runs as plain
 * node, as production does. Under ts-node the child needs ts-node too, and ts-node loads node:repl,
 * which loads node:domain, which wraps every EventEmitter.emit and slows small requests, so such
 * figures are not production's.
 */
export function benchChild(name: string): { path: string; execArgv: string[] } {
  return UNDER_TS_NODE
    ? { path: join(__dirname, `${name}.ts`), execArgv: ['-r', 'ts-node/register/transpile-only'] }
    : { path: join(__dirname, `${name}.js`), execArgv: [] };
}

/** Printed first by every benchmark: the runtime measured, and whether it is production's. */
export function printRuntime(): void {
  process.stdout.write(`node ${process.version}\n`);
  const wanted = readFileSync(join(REPO_ROOT, '.nvmrc'), 'utf8').trim();
  if (process.versions.node.split('.')[0] !== wanted.split('.')[0]) {
    process.stderr.write(
      `note: production runs node ${wanted} (.nvmrc); \`source scripts/node-runtime.sh\` first to measure it\n`,
    );
  }
  if (UNDER_TS_NODE)
    process.stderr.write(
      'note: running under ts-node (node:domain loaded); `npm run bench:<name>` measures the compiled code\n',
    );
}
