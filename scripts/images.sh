#!/usr/bin/env bash
# Builds openmsk's container images locally (no image registry needed), in order:
#   Docker engine check (scripts/docker.sh) -> openmsk/jre:17 -> openmsk/kafka:<release> each.
# Idempotent and cached: an image that exists with the same recipe is skipped; jars are cached in
# ~/.m2. Builds run one after another (the machines have 2 cores).
#
# Environment:
#   OPENMSK_KAFKA_RELEASES  space- or comma-separated subset to build (default: all supported)
#   OPENMSK_IMAGES_FORCE=1  rebuild even what exists
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The releases come from the version catalog (packages/domain/src/catalog.ts), the one place that names them.
ALL_RELEASES=${OPENMSK_ALL_RELEASES:-$(cd "$(dirname "$0")/.." && npx tsx scripts/kafka-releases.ts)}

releases=$(printf '%s' "${OPENMSK_KAFKA_RELEASES:-$ALL_RELEASES}" | tr ',' ' ')
for r in $releases; do
  case " $ALL_RELEASES " in
    *" $r "*) ;;
    *) msk_die images "unknown Kafka release '$r' in OPENMSK_KAFKA_RELEASES (supported: $ALL_RELEASES)" ;;
  esac
done

# shellcheck disable=SC2086
set -- $releases
total_steps=$(($# + 2))
step=0
t0=$(msk_now)

run_step() { # label command...
  local label=$1 s
  shift
  step=$((step + 1))
  msk_log images "step $step/$total_steps: $label …"
  s=$(msk_now)
  if ! "$@"; then
    msk_die images "step $step/$total_steps ($label) failed after $(msk_elapsed "$s") s"
  fi
  msk_log images "step $step/$total_steps: $label done in $(msk_elapsed "$s") s"
}

run_step "docker engine and host tools" bash "$OPENMSK_ROOT/scripts/docker.sh"
run_step "jre (openmsk/jre:17)" bash "$OPENMSK_ROOT/infra/images/jre/build.sh"
for r in "$@"; do
  run_step "kafka $r (openmsk/kafka:$r)" bash "$OPENMSK_ROOT/infra/images/kafka/build.sh" "$r"
done

# A rebuilt JRE leaves the old one dangling once the Kafka images moved on: drop our leftovers only.
docker image prune -f --filter label=openmsk.recipe >/dev/null 2>&1 || true
msk_log images "all images ready in $(msk_elapsed "$t0") s:"
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^openmsk/(jre|kafka):' | sort | sed 's/^/  /' || true
