#!/usr/bin/env bash
# The MLflow tracking server of the MLflow integration tests (test/support/mlflow-server.ts runs
# this, then starts the server with the environment's python), in the project's own virtual
# environment .venv-mlflow (ignored by git; MLFLOW_VENV for another folder), reused while it holds
# the pinned version. The one pin: docker-compose.yml's mlflow image and docs/docker.md follow it
# (scripts/install-mlflow.spec.ts checks). PYTHON: the interpreter that creates the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
MLFLOW_VERSION=3.17.2
VENV="${MLFLOW_VENV:-.venv-mlflow}"
PYTHON="${PYTHON:-python3}"

has_pinned_mlflow() {
  "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('mlflow') != '$MLFLOW_VERSION')" 2>/dev/null
}

if has_pinned_mlflow; then
  echo "MLflow $MLFLOW_VERSION: $VENV reused"
  exit 0
fi
if ! "$VENV/bin/python" -c '' 2>/dev/null; then
  "$PYTHON" -m venv --clear "$VENV"
fi
# pip warns "Location 'file:///…/<package>/' is ignored: it is neither a file nor a directory" for
# each package that a local extra index of the machine's pip configuration lacks (`pip config
# list`): it then takes the package from the main index. Those lines go; all else pip says stays.
{
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "mlflow==$MLFLOW_VERSION" 2>&1 1>&3 3>&- |
    sed "/^WARNING: Location 'file:[^']*' is ignored: it is neither a file nor a directory\.\$/d" >&2
} 3>&1
has_pinned_mlflow
echo "MLflow $MLFLOW_VERSION installed in $VENV"
