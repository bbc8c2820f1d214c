#!/usr/bin/env bash
# The main job on a fresh machine: services, packages, build, migrations and the first admin
# (at start), import data/credit_data.csv, train a model, move `production` to it, and keep the
# API running with a ready-to-paste curl printed. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGDATABASE="${PGDATABASE:-mlapi}" PORT="${PORT:-3000}"
# Laptop defaults only: production refuses the default secret (NODE_ENV=production).
export ADMIN_EMAIL="${ADMIN_EMAIL:-admin@example.com}" ADMIN_PASSWORD="${ADMIN_PASSWORD:-change-me-admin-123}"
# No load balancer in front of a laptop: Ctrl-C stops the API without the SIGTERM drain.
export SHUTDOWN_DRAIN_MS="${SHUTDOWN_DRAIN_MS:-0}"

source scripts/node-runtime.sh
bash scripts/services.sh
npm ci --no-audit --no-fund
npm run build

mkdir -p logs
# The young-generation size production runs with (Dockerfile NODE_OPTIONS; README, Runtime tuning).
node --max-semi-space-size=64 dist/src/main.js > logs/api.log 2>&1 &
api=$!
echo "API starting (JSON logs in logs/api.log)"
trap 'kill $api 2>/dev/null; wait $api 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -fs "http://localhost:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $api 2>/dev/null || { tail -20 logs/api.log >&2; echo "the API stopped (logs/api.log)" >&2; exit 1; }
  sleep 1
done

node dist/scripts/import.js --dataset credit --file data/credit_data.csv --target Status --create
node dist/scripts/demo.js
echo "API running (pid $api); Ctrl-C to stop."
wait $api
