#!/usr/bin/env bash
# Rolls one environment to one image: migration job first, then worker and api, then a smoke test.
# Run by azure-pipelines.yml (AzureCLI@2, logged in) and by hand for a rollback:
#
#   infra/deploy.sh --resource-group rg-mlapi-production --base-name mlapi-production \
#                   --image crmlapi....azurecr.io/ml-api:1234 [--skip-migrations]
#
# Names follow infra/main.bicep: <base>-migrate (job), <base>-worker and <base>-api (apps).
set -euo pipefail

RG=''; BASE=''; IMAGE=''; SKIP_MIGRATIONS=false
MIGRATION_TIMEOUT_S="${MIGRATION_TIMEOUT_S:-1800}"
READY_TIMEOUT_S="${READY_TIMEOUT_S:-600}"

while [ $# -gt 0 ]; do
  case "$1" in
    --resource-group) RG="$2"; shift 2;;
    --base-name) BASE="$2"; shift 2;;
    --image) IMAGE="$2"; shift 2;;
    --skip-migrations) SKIP_MIGRATIONS=true; shift;;
    *) echo "unknown argument: $1" >&2; exit 2;;
  esac
done
if [ -z "$RG" ] || [ -z "$BASE" ] || [ -z "$IMAGE" ]; then
  echo "usage: $0 --resource-group RG --base-name BASE --image REGISTRY/REPO:TAG [--skip-migrations]" >&2
  exit 2
fi

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { echo "##vso[task.logissue type=error]$*"; echo "ERROR: $*" >&2; exit 1; }

az extension add --name containerapp --upgrade --only-show-errors >/dev/null
az config set extension.use_dynamic_install=yes_without_prompt --only-show-errors >/dev/null 2>&1 || true

# 1. Migrations: the job runs `typeorm migration:run` in the new image, against the same database.
#    Migrations must be backwards compatible (expand, then contract in a later release): the old
#    revisions keep serving until the new ones are ready.
if [ "$SKIP_MIGRATIONS" = false ]; then
  log "migration job $BASE-migrate -> $IMAGE"
  az containerapp job update --name "$BASE-migrate" --resource-group "$RG" --image "$IMAGE" --only-show-errors -o none
  execution=$(az containerapp job start --name "$BASE-migrate" --resource-group "$RG" --query name -o tsv)
  [ -n "$execution" ] || fail "could not start the migration job"
  log "migration execution $execution started"
  deadline=$(( $(date +%s) + MIGRATION_TIMEOUT_S ))
  while :; do
    status=$(az containerapp job execution show --name "$BASE-migrate" --resource-group "$RG" \
      --job-execution-name "$execution" --query properties.status -o tsv 2>/dev/null || echo Unknown)
    case "$status" in
      Succeeded) log "migrations applied"; break;;
      Failed|Stopped|Degraded)
        echo "--- migration logs (Log Analytics may lag a few minutes) ---"
        az containerapp job logs show --name "$BASE-migrate" --resource-group "$RG" \
          --execution "$execution" --container migrate --tail 200 2>/dev/null || true
        fail "migration execution $execution ended $status; api and worker were NOT updated";;
    esac
    [ "$(date +%s)" -lt "$deadline" ] || fail "migration execution $execution still $status after ${MIGRATION_TIMEOUT_S}s"
    sleep 10
  done
fi

# 2. Roll out: worker first (it consumes queues, no traffic), then the api. Single revision mode:
#    the old api revision keeps traffic until the new one passes its readiness probe.
for role in worker api; do
  log "$BASE-$role -> $IMAGE"
  az containerapp update --name "$BASE-$role" --resource-group "$RG" --image "$IMAGE" \
    --revision-suffix "r$(date +%s)" --only-show-errors -o none
done

# 3. Smoke test: the new api revision is the active one and /health/ready answers 200.
fqdn=$(az containerapp show --name "$BASE-api" --resource-group "$RG" --query properties.configuration.ingress.fqdn -o tsv)
running=$(az containerapp show --name "$BASE-api" --resource-group "$RG" --query 'properties.template.containers[0].image' -o tsv)
[ "$running" = "$IMAGE" ] || fail "api runs $running, expected $IMAGE"
deadline=$(( $(date +%s) + READY_TIMEOUT_S ))
until curl -fsS --max-time 10 "https://$fqdn/health/ready" >/dev/null; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "https://$fqdn/health/ready not ready after ${READY_TIMEOUT_S}s"
  sleep 10
done
revision=$(az containerapp show --name "$BASE-api" --resource-group "$RG" --query properties.latestReadyRevisionName -o tsv)
log "ready: https://$fqdn (revision $revision, image $IMAGE)"
echo "##vso[task.setvariable variable=apiUrl;isOutput=true]https://$fqdn"
