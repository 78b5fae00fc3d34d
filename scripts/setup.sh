#!/usr/bin/env bash
# Everything openmsk needs before it runs: Node dependencies, the generated Prisma client,
# Postgres and Redis, the Docker engine and Kafka images, the database schema. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
# A maintained Node LTS first on PATH for everything below (scripts/node.sh).
source scripts/node.sh
# Only loopback traffic: no tool may phone home.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CHECKPOINT_DISABLE=1

log() { printf '[setup] %s\n' "$*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing Node dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Prisma's CLI wants its schema-engine binary even for `generate`, and that binary is a download
# this network cannot reach; generate needs only the wasm parts, so point it at a stub.
if [ ! -f packages/db/src/generated/client.ts ] || [ prisma/schema.prisma -nt packages/db/src/generated/client.ts ]; then
  log "generating the Prisma client"
  PRISMA_SCHEMA_ENGINE_BINARY=/bin/false npx prisma generate >/dev/null
fi

# The web console (apps/console, Vite): turbo's cache skips it when nothing in it changed.
log "building the web console"
npx turbo run build --output-logs=errors-only

bash scripts/services.sh

# Docker engine, host tools (xfsprogs, kcat, mmdebstrap, maven) and the Kafka images: cached after the first run.
bash scripts/docker.sh
bash scripts/images.sh

log "applying database migrations"
npx tsx packages/db/src/migrate.ts
