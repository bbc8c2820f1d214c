#!/usr/bin/env bash
# A real MLflow tracking server for the integration tests, in its own virtualenv (.venv-mlflow).
set -euo pipefail
cd "$(dirname "$0")/.."
MLFLOW_VERSION="${MLFLOW_VERSION:-2.22.0}"
if [ -x .venv-mlflow/bin/mlflow ] && .venv-mlflow/bin/python -c "import mlflow,sys; sys.exit(mlflow.__version__ != '$MLFLOW_VERSION')"; then
  exit 0
fi
python3 -m venv .venv-mlflow
.venv-mlflow/bin/pip install --quiet --disable-pip-version-check "mlflow==$MLFLOW_VERSION"
echo "MLflow $MLFLOW_VERSION installed in .venv-mlflow"
