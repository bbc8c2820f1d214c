# syntax=docker/dockerfile:1
#
# ML API: one image, three roles (docs/architecture.md, "Runtime roles").
#   docker build -t ml-api --build-arg GIT_SHA=$(git rev-parse HEAD) .
#   docker run ... ml-api                                   # APP_ROLE=all (default): HTTP + workers
#   docker run -e APP_ROLE=api ... ml-api                   # HTTP only
#   docker run -e APP_ROLE=worker ... ml-api                # queue processors and schedulers only
# One-off commands in the same image (see docs/docker.md and docs/azure.md):
#   node node_modules/typeorm/cli.js -d dist/src/database/data-source.js migration:run
#   node dist/scripts/create-admin.js                      # ADMIN_EMAIL / ADMIN_PASSWORD
#   node dist/scripts/import.js --dataset credit --file data/credit_data.csv --target Status --create
#
# Build arguments:
#   GIT_SHA    code version recorded on every training run (the image has no .git)
#   TFJS_NODE  auto (default): try to install the native TensorFlow backend (@tensorflow/tfjs-node,
#              downloads libtensorflow; needs internet) and fall back to wasm if that fails;
#              required: fail the build if it cannot be installed; off: do not try.

# The major in .nvmrc (README, "Node.js 24"). tfjs-node 4.22 needs a shim on Node >= 23 (src/ml/backend.ts).
ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS base
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    SCARF_ANALYTICS=false

# ---------------------------------------------------------------------------------------------
# deps: every dependency (dev included) for compiling. Install scripts are not run (package.json
# `allowScripts` denies them; older npm versions ignore that field, so say it explicitly).
FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --ignore-scripts

# ---------------------------------------------------------------------------------------------
# build: nest build -> dist/src/main.js, dist/src/worker.js, dist/migrations, dist/scripts
FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts ./scripts
COPY dashboards/web ./dashboards/web
RUN npm run build && test -f dist/src/main.js && test -f dist/src/worker.js && test -f dist/dashboards/web/dashboard.js

# ---------------------------------------------------------------------------------------------
# prod-deps: production dependencies only, plus the optional native TensorFlow backend.
FROM base AS prod-deps
# Build tools only for node-pre-gyp's --fallback-to-build when no prebuilt tfjs binding matches;
# this stage is thrown away, none of it reaches the runtime image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --ignore-scripts
ARG TFJS_NODE=auto
# @tensorflow/tfjs-node's install script downloads libtensorflow and the prebuilt N-API binding.
# It is run directly (not through `npm rebuild`, which honours the allowScripts denial on npm 11);
# node-pre-gyp must be on PATH. On failure the half-installed native files are removed so the
# app's backend probe falls straight through to wasm.
RUN set -eu; \
    case "$TFJS_NODE" in off) echo "tfjs-node: skipped (TFJS_NODE=off)"; exit 0;; auto|required) ;; \
      *) echo "TFJS_NODE must be auto, required or off" >&2; exit 2;; esac; \
    if [ ! -d node_modules/@tensorflow/tfjs-node ]; then \
      echo "tfjs-node: not in node_modules (optional dependency removed?)"; \
      [ "$TFJS_NODE" = required ] && exit 1; exit 0; \
    fi; \
    if (cd node_modules/@tensorflow/tfjs-node && PATH="/app/node_modules/.bin:$PATH" node scripts/install.js) \
       && node -e "require('@tensorflow/tfjs-node')" >/dev/null 2>&1; then \
      echo "tfjs-node: native TensorFlow backend installed"; \
    else \
      echo "WARNING: tfjs-node could not be installed; the app will use the wasm backend" >&2; \
      rm -rf node_modules/@tensorflow/tfjs-node/deps node_modules/@tensorflow/tfjs-node/lib; \
      [ "$TFJS_NODE" = required ] && exit 1; \
    fi; \
    true

# ---------------------------------------------------------------------------------------------
FROM base AS runtime
# ca-certificates: TLS roots (Azure Database for PostgreSQL, Azure Cache for Redis, MLflow).
# tini: PID 1 that forwards SIGTERM and reaps children (graceful shutdown on deploys).
# azure-postgres-ca.pem: the roots Azure Database for PostgreSQL flexible server chains to
# (DigiCert Global Root G2 and Microsoft RSA Root CA 2017 after the 2024-2025 rotation, and
# DigiCert Global Root CA before it), for DB_SSL=verify-full.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && cat /etc/ssl/certs/DigiCert_Global_Root_G2.pem \
        /etc/ssl/certs/Microsoft_RSA_Root_Certificate_Authority_2017.pem \
        /etc/ssl/certs/DigiCert_Global_Root_CA.pem > /etc/ssl/certs/azure-postgres-ca.pem

# --max-semi-space-size=64 (MB): a young generation large enough that a request's garbage dies
# there instead of being promoted (README, Runtime tuning). The app sets its other V8 flag itself
# (src/bootstrap/v8-flags.ts): NODE_OPTIONS refuses it.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=64 \
    APP_ROLE=all \
    HOST=0.0.0.0 \
    PORT=3000 \
    DB_SSL_CA_FILE=/etc/ssl/certs/azure-postgres-ca.pem

# Code and dependencies are owned by root and read-only for the app user.
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY data ./data

ARG GIT_SHA=unknown
ARG BUILD_ID=local
ENV GIT_SHA=${GIT_SHA}
LABEL org.opencontainers.image.title="ml-api" \
      org.opencontainers.image.description="CSV to a monitored, authenticated prediction API (NestJS, PostgreSQL, Redis, TensorFlow.js)" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.revision="${GIT_SHA}" \
      org.opencontainers.image.version="${BUILD_ID}"

USER node
EXPOSE 3000
# Liveness of the HTTP roles; a worker (APP_ROLE=worker) serves no HTTP, so it reports healthy
# while the process runs (Docker restarts it if it exits).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "if (process.env.APP_ROLE === 'worker') process.exit(0); fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/src/main.js"]
