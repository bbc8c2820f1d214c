#!/usr/bin/env bash
# The MLflow tracking server of the MLflow integration tests (test/support/mlflow-server.ts runs
# this, then starts the server with the environment's python), in the project's own virtual
# environment .venv-mlflow (ignored by git; MLFLOW_VENV for another folder), reused while it holds
# the pinned version. The one pin: docker-compose.yml's mlflow image and docs/docker.md follow it
# (scripts/install-mlflow.spec.ts checks). PYTHON: the interpreter that creates the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
MLFLOW_VERSION=3.17.2
source scripts/python-venv.sh
ensure_venv "MLflow $MLFLOW_VERSION" "${MLFLOW_VENV:-.venv-mlflow}" "${PYTHON:-python3}" "mlflow==$MLFLOW_VERSION"
