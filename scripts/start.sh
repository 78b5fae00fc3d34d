#!/usr/bin/env bash
# npm start: set everything up, then run the API and the worker until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
# A maintained Node LTS first on PATH for everything below (scripts/node.sh).
source scripts/node.sh
bash scripts/setup.sh
npx tsx apps/api/src/bootstrap.ts
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM
npx tsx apps/worker/src/main.ts & pids+=($!)
npx tsx apps/api/src/server.ts & pids+=($!)
wait -n "${pids[@]}"
