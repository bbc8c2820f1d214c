#!/usr/bin/env bash
# README's second command: set up a fresh machine (Node.js from .nvmrc, services, packages, the
# MLflow test server) and run every test suite; arguments go to jest (e.g. --selectProjects unit).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/node-runtime.sh
bash scripts/setup.sh
npm test -- "$@"
