import { execFile } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');

interface LintMessage {
  ruleId: string | null;
  line: number;
  message: string;
}

/**
 * Lints `source` with the project's ESLint config as if it were the file `asFile` (an existing
 * file, so the type-aware parser finds it in the project; its text on disk is not read).
 */
function lintAs(asFile: string, source: string): Promise<LintMessage[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', asFile, '--format', 'json'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout) => {
        // Exit 1 means "problems found", which is what most cases expect; anything else is a failure.
        if (err && err.code !== 1) return reject(new Error(`eslint failed: ${err.message}`));
        resolve((JSON.parse(stdout) as { messages: LintMessage[] }[])[0].messages);
      },
    );
    child.stdin!.end(source);
  });
}

const flaggedLines = (messages: LintMessage[], rule: string) =>
  messages.filter((m) => m.ruleId === rule).map((m) => m.line);

/** The module boundaries of docs/architecture.md, as the lint rule enforces them. */
describe('module boundaries (ESLint)', () => {
  jest.setTimeout(180_000);

  it('refuses another module’s internals and src/ml’s files, and accepts their public entries', async () => {
    const messages = await lintAs(
      'src/inference/inference-metrics.ts',
      [
        "import { AliasService } from '../registry/alias.service';", // 1: internals
        "import { ModelRegistryService } from '../registry';", // 2: entry
        "import { parseCell } from '../ml/schema';", // 3: ml internals
        "import { loadBundle } from '../ml';", // 4: ml entry
        "import { TrainingRunner } from '../training/training-runner';", // 5: forbidden module
        'export const probe = [AliasService, ModelRegistryService, parseCell, loadBundle, TrainingRunner];',
      ].join('\n'),
    );
    expect(flaggedLines(messages, 'import/no-restricted-paths')).toEqual([1, 3, 5, 5]);
    expect(messages.find((m) => m.line === 5 && /must not depend on training/.test(m.message))).toBeDefined();
  });

  it('lets the data module use no other module, and the registry only data’s ports', async () => {
    const data = await lintAs(
      'src/data/dataset-usage.ts',
      "import { RegistryModule } from '../registry';\nexport const probe = RegistryModule;\n",
    );
    expect(flaggedLines(data, 'import/no-restricted-paths')).toEqual([1]);
    const registry = await lintAs(
      'src/registry/dataset-usage.checker.ts',
      "import { DatasetUsageChecker } from '../data/ports';\nimport { DatasetsService } from '../data';\nexport const probe = [DatasetUsageChecker, DatasetsService];\n",
    );
    expect(flaggedLines(registry, 'import/no-restricted-paths')).toEqual([2]);
  });

  it('refuses an import cycle', async () => {
    // log-partitions.ts is imported by prediction-log.service.ts: importing it back closes a circle.
    const messages = await lintAs(
      'src/inference/prediction-log/log-partitions.ts',
      "import { PredictionLog } from './prediction-log.service';\nexport const probe = PredictionLog;\n",
    );
    expect(flaggedLines(messages, 'import/no-cycle')).toEqual([1]);
  });
});
