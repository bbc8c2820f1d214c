#!/usr/bin/env bash
# The Streamlit dashboard (dashboards/streamlit/) and its AppTest tests (test/e2e/streamlit.e2e-spec.ts
# runs them with this environment's python), in the project's own virtual environment
# .venv-streamlit (ignored by git; STREAMLIT_VENV for another folder), reused while it holds every
# pin of dashboards/streamlit/requirements.txt. PYTHON: the interpreter that creates the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python-venv.sh
mapfile -t PINS < <(pins_of dashboards/streamlit/requirements.txt)
ensure_venv "Streamlit dashboard" "${STREAMLIT_VENV:-.venv-streamlit}" "${PYTHON:-python3}" "${PINS[@]}"
