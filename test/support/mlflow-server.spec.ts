import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMlflowInstalled, pinnedMlflowVersion } from './mlflow-server';

describe('ensureMlflowInstalled', () => {
  it('fails, with the install command, when the pinned MLflow cannot be installed: the MLflow tests fail, not skip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlflow-venv-'));
    try {
      const env = { ...process.env, MLFLOW_VENV: join(dir, 'venv'), PYTHON: join(dir, 'no-python3') };
      expect(() => ensureMlflowInstalled(env)).toThrow(
        new RegExp(
          `MLflow ${pinnedMlflowVersion().replace(/\./g, '\\.')} could not be installed .*exited 127[^]*no-python3[^]*Run \`bash scripts/install-mlflow\\.sh\``,
        ),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
