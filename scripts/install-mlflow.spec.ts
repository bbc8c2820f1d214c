import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinnedMlflowVersion } from '../test/support/mlflow-server';
import { REPO_ROOT } from '../test/support/repo-root';

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

describe('scripts/install-mlflow.sh: one MLflow version everywhere', () => {
  const pin = pinnedMlflowVersion();

  it('pins an exact release', () => {
    expect(pin).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("is docker-compose.yml's MLflow image (the official image tags each release v<version>)", () => {
    expect(read('docker-compose.yml').match(/ghcr\.io\/mlflow\/mlflow:\S+/g)).toEqual([
      `ghcr.io/mlflow/mlflow:v${pin}`,
    ]);
  });

  it('is the version docs/docker.md names', () => {
    expect(read('docs/docker.md').match(/MLflow \d[\w.]*/g)).toEqual([`MLflow ${pin}`]);
  });
});
