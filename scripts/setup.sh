#!/usr/bin/env bash
# Everything a fresh machine needs: Node.js (.nvmrc), services, npm packages, the MLflow server
# used by the MLflow integration tests, Prometheus (Debian's package) for the Grafana dashboard's
# test, the Streamlit dashboard (its AppTest tests run in e2e) and Chromium for the browser tests.
# Safe to run again. Run node afterwards in a shell that has sourced scripts/node-runtime.sh
# (scripts/test.sh and scripts/demo.sh do).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/node-runtime.sh
bash scripts/services.sh
# npm ci, skipped when package-lock.json and node_modules are as at its last success.
source scripts/up-to-date.sh
install_packages
bash scripts/install-mlflow.sh
bash scripts/install-prometheus.sh
bash scripts/install-streamlit.sh
# The browser tests (test/e2e/dashboard.e2e-spec.ts) drive Debian's Chromium with playwright-core.
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium (browser tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
