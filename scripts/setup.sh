#!/usr/bin/env bash
# Everything a fresh machine needs: services, npm packages, and the MLflow server used by the
# MLflow integration tests. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh
npm ci --no-audit --no-fund
bash scripts/install-mlflow.sh
