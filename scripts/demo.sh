#!/usr/bin/env bash
# The main job on a fresh machine: services, packages, build, migrations and the first admin
# (at start), then scripts/demo.ts: import data/credit_data.csv, train a model, move `production`
# to it, and print what to do next; the API keeps running until Ctrl-C, with gentle background
# traffic (DEMO_TRAFFIC=0: none) so the dashboard moves from the start. A second run reuses what
# has not changed (packages, build, dataset version, model version, API token) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

export PGDATABASE="${PGDATABASE:-mlapi}" PORT="${PORT:-3000}"
# Laptop defaults only: production refuses the default secret (NODE_ENV=production).
export ADMIN_EMAIL="${ADMIN_EMAIL:-admin@example.com}" ADMIN_PASSWORD="${ADMIN_PASSWORD:-change-me-admin-123}"
# No load balancer in front of a laptop: Ctrl-C stops the API without the SIGTERM drain.
export SHUTDOWN_DRAIN_MS="${SHUTDOWN_DRAIN_MS:-0}"
export DEMO_API_LOG=logs/api.log

source scripts/node-runtime.sh
bash scripts/services.sh
source scripts/up-to-date.sh
install_packages
build_app
reused=()
[ "$PACKAGES_REUSED" = 1 ] && reused+=("packages (lock unchanged)")
[ "$BUILD_REUSED" = 1 ] && reused+=("build")

# Laptop-demo monitoring, each only where the environment sets none (README, "Two commands";
# scripts/demo/settings.ts): 5-minute windows, jobs every 15–30 s, alert rules with short holds.
# (An assignment first: `set -e` stops here if the script fails, which `eval "$(…)"` would hide.)
settings="$(node dist/scripts/demo/settings.js)"
eval "$settings"

mkdir -p logs
# The young-generation size production runs with (Dockerfile NODE_OPTIONS; README, Runtime tuning).
node --max-semi-space-size=64 dist/src/main.js > "$DEMO_API_LOG" 2>&1 &
api=$!
echo "API starting (JSON logs in $DEMO_API_LOG)"
traffic=
trap 'kill $traffic $api 2>/dev/null; wait $traffic $api 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 120); do
  curl -fs "http://localhost:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 $api 2>/dev/null || { tail -20 "$DEMO_API_LOG" >&2; echo "the API stopped ($DEMO_API_LOG)" >&2; exit 1; }
  sleep 1
done

# Rows of the shipped data at DEMO_TRAFFIC_RATE a second, true labels 30 s later, until Ctrl-C.
DEMO_TRAFFIC="${DEMO_TRAFFIC:-1}" DEMO_TRAFFIC_RATE="${DEMO_TRAFFIC_RATE:-5}"
[ "$DEMO_TRAFFIC" = 0 ] || export DEMO_TRAFFIC_LOG=logs/traffic.log DEMO_TRAFFIC_RATE
DEMO_REUSED="$(IFS=,; echo "${reused[*]}")" node dist/scripts/demo.js
if [ "$DEMO_TRAFFIC" != 0 ]; then
  node dist/scripts/traffic.js --model credit --rate "$DEMO_TRAFFIC_RATE" --url "http://localhost:$PORT" \
    > "$DEMO_TRAFFIC_LOG" 2>&1 &
  traffic=$!
fi
echo "API running (pid $api), ready ${SECONDS}s after the start of scripts/demo.sh; Ctrl-C to stop."
wait $api
