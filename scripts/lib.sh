#!/usr/bin/env bash
# Shared shell helpers for openmsk's scripts. Source it; it defines functions only.
#   OPENMSK_ROOT     the repository root
#   msk_log TAG MSG  prints "[TAG] MSG"
#   msk_die TAG MSG  prints to stderr and exits 1
#   msk_apt_install PKG...   installs Debian packages that are missing (apt-get update once)
#   msk_ensure_tool CMD PKG  installs PKG when CMD is not on PATH
#   msk_now / msk_elapsed START   wall-clock timing in seconds (one decimal)

if [ -z "${OPENMSK_LIB_LOADED:-}" ]; then
OPENMSK_LIB_LOADED=1
# shellcheck disable=SC2034  # used by the scripts that source this file
OPENMSK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

msk_log() { local tag=$1; shift; printf '[%s] %s\n' "$tag" "$*"; }
msk_die() { local tag=$1; shift; printf '[%s] ERROR: %s\n' "$tag" "$*" >&2; exit 1; }

msk_now() { date +%s.%N; }
msk_elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

_MSK_APT_UPDATED=${_MSK_APT_UPDATED:-}
msk_apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    printf '[apt] ERROR: need root to install: %s\n' "${missing[*]}" >&2
    return 1
  fi
  if [ -z "$_MSK_APT_UPDATED" ]; then
    printf '[apt] apt-get update\n'
    apt-get update -qq || return 1
    _MSK_APT_UPDATED=1
  fi
  printf '[apt] installing %s\n' "${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

msk_ensure_tool() { # command package
  command -v "$1" >/dev/null 2>&1 || msk_apt_install "$2"
}

# Docker's classic builder works with every client and daemon we meet (Debian's docker.io has no
# buildx); use BuildKit only when the buildx plugin is there.
msk_docker_build() {
  if docker buildx version >/dev/null 2>&1; then
    docker build "$@"
  else
    DOCKER_BUILDKIT=0 docker build "$@"
  fi
}

# A short content hash of files and strings, used as an image label to know when to rebuild.
msk_hash() {
  local f
  for f in "$@"; do
    if [ -f "$f" ]; then cat "$f"; else printf '%s' "$f"; fi
    printf '\0'
  done | sha256sum | cut -c1-16
}

msk_image_label() { # image label  -> prints the label's value, or nothing
  docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}
fi
