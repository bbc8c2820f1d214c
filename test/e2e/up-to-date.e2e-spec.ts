import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '../..');

/**
 * A stand-in for npm in a temporary project: `npm ci` and `npm run build` replace node_modules/
 * and dist/ as the real ones do (deleted first, then written), log each call, and fail when
 * NPM_FAILS is set, so that scripts/up-to-date.sh is tested on real files and a real bash.
 */
const FAKE_NPM = `#!/usr/bin/env bash
echo "$*" >> calls.log
[ -n "\${NPM_FAILS:-}" ] && exit 1
case "$1" in
  ci) rm -rf node_modules && mkdir node_modules && cp package-lock.json node_modules/.package-lock.json ;;
  run) rm -rf dist && mkdir -p dist/src && touch dist/src/main.js ;;
esac
`;

describe('scripts/up-to-date.sh: npm ci and the build are skipped when nothing changed', () => {
  let dir: string;

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const calls = () => readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n').filter(Boolean);

  /** Sources the script as setup.sh and demo.sh do (set -e) and runs one of its steps. */
  function step(fn: 'install_packages' | 'build_app', env: Record<string, string> = {}) {
    const reused = fn === 'install_packages' ? 'PACKAGES_REUSED' : 'BUILD_REUSED';
    const run = spawnSync(
      'bash',
      ['-c', `set -euo pipefail; source ${join(ROOT, 'scripts/up-to-date.sh')}; ${fn}; echo "reused=$${reused}"`],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, ...env } },
    );
    return { code: run.status, reused: /reused=(\d)/.exec(run.stdout)?.[1] ?? null, stdout: run.stdout };
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'up-to-date-'));
    write('bin/npm', FAKE_NPM);
    spawnSync('chmod', ['+x', join(dir, 'bin/npm')]);
    write('calls.log', '');
    write('package-lock.json', '{"lockfileVersion":3}\n');
    for (const f of ['tsconfig.json', 'tsconfig.build.json', 'nest-cli.json']) write(f, '{}\n');
    write('src/main.ts', 'export {};\n');
    write('scripts/demo.ts', 'export {};\n');
    write('scripts/bench/train.ts', 'export {};\n');
    write('migrations/1-init.ts', 'export {};\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('installs on a clean clone, then skips while package-lock.json and node_modules are unchanged', () => {
    expect(step('install_packages')).toMatchObject({ code: 0, reused: '0' });
    const again = step('install_packages');
    expect(again).toMatchObject({ code: 0, reused: '1' });
    expect(again.stdout).toContain('npm ci skipped');
    expect(calls()).toEqual(['ci --no-audit --no-fund']);
  });

  it('installs again when the lock file changes, or when the installed tree was changed by hand', () => {
    step('install_packages');
    write('package-lock.json', '{"lockfileVersion":3,"packages":{}}\n');
    expect(step('install_packages').reused).toBe('0');
    appendFileSync(join(dir, 'node_modules/.package-lock.json'), ' '); // as `npm install <pkg>` rewrites it
    expect(step('install_packages').reused).toBe('0');
    expect(step('install_packages').reused).toBe('1');
    expect(calls()).toHaveLength(3);
  });

  it('installs again after a failed npm ci, which records nothing', () => {
    step('install_packages');
    write('package-lock.json', '{"lockfileVersion":3,"changed":true}\n');
    expect(step('install_packages', { NPM_FAILS: '1' }).code).not.toBe(0);
    expect(step('install_packages')).toMatchObject({ code: 0, reused: '0' });
    expect(calls()).toHaveLength(3);
  });

  it('builds again only when a compiled source, the configuration or the output changed', () => {
    expect(step('build_app').reused).toBe('0');
    expect(step('build_app').reused).toBe('1');
    write('scripts/bench/train.ts', 'export const notBuilt = 1;\n');
    expect(step('build_app').reused).toBe('1');
    write('src/main.ts', 'export const changed = 1;\n');
    expect(step('build_app').reused).toBe('0');
    write('src/new-file.ts', 'export {};\n');
    expect(step('build_app').reused).toBe('0');
    write('tsconfig.build.json', '{"compilerOptions":{}}\n');
    expect(step('build_app').reused).toBe('0');
    rmSync(join(dir, 'dist/src/main.js'));
    expect(step('build_app').reused).toBe('0');
    expect(step('build_app').reused).toBe('1');
    expect(calls()).toHaveLength(5);
  });

  it('builds again after a failed build', () => {
    step('build_app');
    write('src/main.ts', 'export const broken = ;\n');
    expect(step('build_app', { NPM_FAILS: '1' }).code).not.toBe(0);
    expect(step('build_app').reused).toBe('0');
  });
});
