#!/usr/bin/env bash
# npm test: set everything up, typecheck, then run every test tier serially (container-heavy tests share 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
# A maintained Node LTS first on PATH for everything below (scripts/node.sh).
source scripts/node.sh
# Only loopback traffic: no tool may phone home.
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 CHECKPOINT_DISABLE=1
bash scripts/setup.sh
# The real AWS CLI v2 (Debian's awscli) drives the CLI tests; Debian's Chromium the browser tests (*.ui.test.ts,
# through playwright-core: a tool's own browser download cannot work here).
missing=()
[ -x /usr/bin/aws ] || missing+=(awscli)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[test] installing Debian's ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "[test] typecheck"
npx turbo run typecheck --output-logs=errors-only
# scripts/ and bench/ are not workspaces: typecheck them too.
npx tsc -p tsconfig.tools.json
# Every import declared by the package that makes it (hoisting would hide a missing one).
npx tsx scripts/check-deps.ts
echo "[test] jest"
npx jest --runInBand "$@"
