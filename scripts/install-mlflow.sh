#!/usr/bin/env bash
# A real MLflow tracking server for the MLflow integration tests (test/support/mlflow-server.ts
# starts it with the same python3). Pinned so CI and laptops test against the same server.
set -euo pipefail
MLFLOW_VERSION="${MLFLOW_VERSION:-3.17.2}"
PYTHON="${PYTHON:-python3}"
if "$PYTHON" -c "import mlflow, sys; sys.exit(mlflow.__version__ != '$MLFLOW_VERSION')" 2>/dev/null; then
  exit 0
fi
"$PYTHON" -m pip install --quiet --disable-pip-version-check "mlflow==$MLFLOW_VERSION"
echo "MLflow $MLFLOW_VERSION installed for $PYTHON"
