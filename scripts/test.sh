#!/usr/bin/env bash
# README's second command: set up a fresh machine (Node.js from .nvmrc, services, packages, the
# MLflow test server) and run every test suite, the outage suite last and alone; arguments go to
# jest instead (e.g. --selectProjects unit), and then the outage suite is not run.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/node-runtime.sh
bash scripts/setup.sh
npm test -- "$@"
if [ $# -eq 0 ]; then npm run test:outage; fi
