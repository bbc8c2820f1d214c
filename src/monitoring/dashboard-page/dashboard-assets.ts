import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The files esbuild writes (scripts/build-dashboard.ts): the only ones served under /dashboard/assets/. */
export const DASHBOARD_ASSETS = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'login.js': 'text/javascript; charset=utf-8',
} as const;

export type AssetName = keyof typeof DASHBOARD_ASSETS;

export function isAssetName(name: string): name is AssetName {
  return Object.prototype.hasOwnProperty.call(DASHBOARD_ASSETS, name);
}

/** The repository (or image) root: the nearest folder above this file with a package.json (src/ or dist/src/). */
function appRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const ASSETS_DIR = join(appRoot(), 'dist', 'dashboards', 'web');

/**
 * The built files, read once each and kept (they change only with a build, which restarts the
 * app). A missing file is not kept, so a build made after start (the tests' setup) is seen.
 */
export class DashboardAssets {
  private readonly files = new Map<AssetName, Buffer>();

  constructor(private readonly dir = ASSETS_DIR) {}

  read(name: AssetName): Buffer | null {
    let file = this.files.get(name);
    if (!file) {
      const path = join(this.dir, name);
      if (!existsSync(path)) return null;
      file = readFileSync(path);
      this.files.set(name, file);
    }
    return file;
  }
}
