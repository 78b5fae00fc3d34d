#!/usr/bin/env bash
# npm test: set everything up, typecheck, then run every test tier serially (container-heavy tests share 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "[test] typecheck"
npx turbo run typecheck --output-logs=errors-only
echo "[test] jest"
npx jest --runInBand "$@"
