#!/usr/bin/env bash
# npm test: set everything up, typecheck, then run every test tier serially (container-heavy tests share 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
# Only loopback traffic: no tool may phone home.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CHECKPOINT_DISABLE=1
bash scripts/setup.sh
# The real AWS CLI v2 (Debian's awscli) drives the CLI tests.
if [ ! -x /usr/bin/aws ]; then
  echo "[test] installing Debian's awscli"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli >/dev/null
fi
echo "[test] typecheck"
npx turbo run typecheck --output-logs=errors-only
# scripts/ and bench/ are not workspaces: typecheck them too.
npx tsc -p tsconfig.tools.json
echo "[test] jest"
npx jest --runInBand "$@"
