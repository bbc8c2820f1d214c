// Bundles the dashboard's front end (dashboards/web) into dist/dashboards/web with esbuild:
// `npm run build` runs it after `nest build`; the browser test runs buildDashboard() in its setup.
import { build } from 'esbuild';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
/** From dist/scripts (after nest build) or scripts/ (ts-node): the repository is where package.json is. */
function root(): string {
  return __dirname.endsWith(join('dist', 'scripts')) ? join(__dirname, '..', '..') : ROOT;
}

export interface DashboardBuild {
  outDir: string;
  files: { path: string; bytes: number }[];
}

export async function buildDashboard(outDir = join(root(), 'dist', 'dashboards', 'web')): Promise<DashboardBuild> {
  const web = join(root(), 'dashboards', 'web');
  const result = await build({
    entryPoints: {
      dashboard: join(web, 'main.ts'),
      login: join(web, 'login.ts'),
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    // The page's CSS (and uPlot's) is imported by main.ts: one dashboard.css next to dashboard.js.
    loader: { '.css': 'css' },
  });
  const files = Object.entries(result.metafile.outputs).map(([path, o]) => ({ path, bytes: o.bytes }));
  return { outDir, files };
}

if (require.main === module) {
  buildDashboard()
    .then(({ outDir, files }) => {
      console.log(`dashboard built into ${outDir}:`);
      for (const f of files) console.log(`  ${f.path}  ${(f.bytes / 1024).toFixed(1)} KiB`);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
