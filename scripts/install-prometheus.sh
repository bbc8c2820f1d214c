#!/usr/bin/env bash
# Prometheus and promtool for the Grafana dashboard's test (test/e2e/grafana-dashboard.e2e-spec.ts
# checks dashboards/prometheus/prometheus.yml with promtool and runs a real Prometheus against the
# app): Debian's `prometheus` package, the version docker-compose.yml's prometheus image pins.
# Nothing to do when both are on PATH; else apt-get (as root, or through sudo), reading the
# package lists only when apt does not know the package yet.
set -euo pipefail

if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  echo "Prometheus: $(promtool --version 2>&1 | head -1)"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-prometheus: no apt-get here; install Prometheus 2.42 (prometheus and promtool on PATH) by hand" >&2
  exit 1
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
if ! apt-cache show prometheus >/dev/null 2>&1; then
  "${SUDO[@]}" apt-get update -qq
fi
# Without the recommended node exporter; the package's service is not needed (the test starts its own).
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
echo "Prometheus installed: $(promtool --version 2>&1 | head -1)"
