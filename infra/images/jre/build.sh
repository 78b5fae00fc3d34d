#!/usr/bin/env bash
# Builds openmsk/jre:17: Debian bookworm (mmdebstrap, variant "apt") + openjdk-17-jre-headless
# and procps, from the host's own apt sources, imported into Docker with `docker import`.
# No image registry is needed. Skips the build when the image exists with the same recipe hash
# (set OPENMSK_IMAGES_FORCE=1 to rebuild).
#
# Environment:
#   OPENMSK_JRE_IMAGE    image name (default openmsk/jre:17)
#   OPENMSK_APT_SOURCES  a file of one-line "deb URI SUITE COMPONENTS" entries to use instead of
#                        the ones read from the host's apt configuration
#   OPENMSK_IMAGES_FORCE 1 to rebuild even when the image exists
set -euo pipefail
# shellcheck source=../../../scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)/scripts/lib.sh"

TAG=jre
IMAGE=${OPENMSK_JRE_IMAGE:-openmsk/jre:17}
SUITE=bookworm
PACKAGES=openjdk-17-jre-headless,procps
SELF="${BASH_SOURCE[0]}"

# ---------------------------------------------------------------------------------------------
# The host's apt sources for $SUITE, as one-line entries "deb [signed-by=K] URI SUITE main".
# Reads deb822 files (/etc/apt/sources.list.d/*.sources) and one-line files (sources.list,
# sources.list.d/*.list) exactly where apt reads them (Dir::Etc::*), keeps binary ("deb") entries
# whose suite is SUITE, SUITE-updates or SUITE-security, and only the "main" component.
host_sources() {
  local etc sourcelist sourceparts
  eval "$(apt-config shell etc Dir::Etc/ sourcelist Dir::Etc::sourcelist/f sourceparts Dir::Etc::sourceparts/d 2>/dev/null)" || true
  etc=${etc:-/etc/apt/}
  sourcelist=${sourcelist:-${etc}sources.list}
  sourceparts=${sourceparts:-${etc}sources.list.d/}
  local files=() f
  [ -f "$sourcelist" ] && files+=("$sourcelist")
  for f in "$sourceparts"*.list "$sourceparts"*.sources; do [ -f "$f" ] && files+=("$f"); done
  [ ${#files[@]} -gt 0 ] || return 0
  awk -v suite="$SUITE" '
    function wanted(s) { return s == suite || s == suite "-updates" || s == suite "-security" }
    function has_main(c,   n, a, i) { n = split(c, a, /[ \t]+/); for (i = 1; i <= n; i++) if (a[i] == "main") return 1; return 0 }
    function emit(uri, s, key) {
      if (uri == "" || !wanted(s)) return
      line = "deb " (key != "" ? "[signed-by=" key "] " : "") uri " " s " main"
      if (!(line in seen)) { seen[line] = 1; print line }
    }
    function flush(   nt, nu, ns, t, u, s, i, j, k, ts, us, ss) {
      if (st_enabled != "no" && st_types ~ /(^|[ \t])deb([ \t]|$)/ && has_main(st_comps)) {
        nu = split(st_uris, us, /[ \t]+/); ns = split(st_suites, ss, /[ \t]+/)
        for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) emit(us[i], ss[j], st_key)
      }
      st_types = st_uris = st_suites = st_comps = st_key = st_enabled = ""; field = ""
    }
    FNR == 1 { if (NR > 1) flush(); deb822 = (FILENAME ~ /\.sources$/) }
    deb822 {
      if ($0 ~ /^[ \t]*#/) next
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^[ \t]/) { # continuation line
        if (field == "uris") st_uris = st_uris " " $0
        else if (field == "suites") st_suites = st_suites " " $0
        else if (field == "components") st_comps = st_comps " " $0
        next
      }
      name = tolower(substr($0, 1, index($0, ":") - 1)); val = substr($0, index($0, ":") + 1)
      gsub(/^[ \t]+|[ \t]+$/, "", val); field = name
      if (name == "types") st_types = val
      else if (name == "uris") st_uris = val
      else if (name == "suites") st_suites = val
      else if (name == "components") st_comps = val
      else if (name == "enabled") st_enabled = tolower(val)
      else if (name == "signed-by" && val ~ /^\//) st_key = val   # a keyring path, not an inline key
      next
    }
    {
      sub(/#.*/, ""); if ($1 != "deb") next
      key = ""; i = 2
      if ($2 ~ /^\[/) { # options [a=b c=d]
        opts = ""
        for (; i <= NF; i++) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } }
        if (match(opts, /signed-by=[^] \t]+/)) key = substr(opts, RSTART + 10, RLENGTH - 10)
      }
      uri = $i; s = $(i + 1); comps = ""
      for (j = i + 2; j <= NF; j++) comps = comps " " $j
      if (has_main(comps)) emit(uri, s, key)
    }
    END { flush() }
  ' "${files[@]}"
}

# apt's proxy settings are not read by mmdebstrap's own apt: hand them over.
host_apt_opts() {
  local k v
  for k in Acquire::http::Proxy Acquire::https::Proxy; do
    v=$(apt-config dump "$k" 2>/dev/null | sed -n "s/^$k \"\(.*\)\";$/\1/p" | head -n1)
    [ -n "$v" ] && printf -- '--aptopt=%s "%s"\n' "$k" "$v"
  done
  return 0
}

main() {
  local arch java_home recipe current
  arch=$(dpkg --print-architecture)
  java_home=/usr/lib/jvm/java-17-openjdk-$arch

  local sources=()
  if [ -n "${OPENMSK_APT_SOURCES:-}" ]; then
    mapfile -t sources < <(grep -E '^deb ' "$OPENMSK_APT_SOURCES")
  else
    mapfile -t sources < <(host_sources)
  fi
  [ ${#sources[@]} -gt 0 ] || msk_die "$TAG" "no Debian $SUITE apt source found in the host's apt configuration (or set OPENMSK_APT_SOURCES)"

  recipe=$(msk_hash "$SELF" "$arch" "${sources[@]}")
  current=$(msk_image_label "$IMAGE" openmsk.recipe)
  if [ "$current" = "$recipe" ] && [ "${OPENMSK_IMAGES_FORCE:-0}" != 1 ]; then
    msk_log "$TAG" "$IMAGE exists (recipe $recipe), skipping"
    return 0
  fi

  local old_id
  old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
  command -v mmdebstrap >/dev/null || msk_die "$TAG" "mmdebstrap missing (run scripts/docker.sh)"
  local s
  for s in "${sources[@]}"; do msk_log "$TAG" "apt source: $s"; done
  local aptopts=()
  mapfile -t aptopts < <(host_apt_opts)

  msk_log "$TAG" "mmdebstrap $SUITE ($PACKAGES) | docker import $IMAGE"
  local logf tmp="$IMAGE-building"
  logf=$(mktemp /tmp/openmsk-mmdebstrap.XXXXXX.log)
  # Keep the image small: no docs (but keep copyright files), man pages, locales; mmdebstrap
  # already drops apt's lists and caches at the end. openjdk's postinst registers its man page
  # with update-alternatives, which fails unless /usr/share/man/man1 exists. The merged-usr hook
  # sets up merged /usr itself, so apt does not pull in usrmerge and with it all of perl.
  if ! mmdebstrap --variant=apt --mode=root --format=tar \
      --include="$PACKAGES" \
      --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' \
      --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --dpkgopt='path-include=/usr/share/locale/locale.alias' \
      --dpkgopt='path-exclude=/usr/share/lintian/*' \
      --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
      --essential-hook='mkdir -p "$1"/usr/share/man/man1' \
      --customize-hook='rm -rf "$1"/var/log/apt/* "$1"/var/log/dpkg.log "$1"/var/cache/ldconfig/aux-cache' \
      --customize-hook='test -x "$1"'"$java_home"'/bin/java' \
      "${aptopts[@]}" \
      "$SUITE" - "${sources[@]}" 2>"$logf" \
    | docker import \
      --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      --change "ENV LANG=C.UTF-8" \
      --change "ENV JAVA_HOME=$java_home" \
      --change "LABEL org.opencontainers.image.title=openmsk-jre org.opencontainers.image.description=\"Debian $SUITE with openjdk-17-jre-headless\" openmsk.recipe=$recipe" \
      --change 'CMD ["/bin/bash"]' \
      - "$tmp" >/dev/null; then
    tail -n 30 "$logf" >&2
    docker rmi "$tmp" >/dev/null 2>&1 || true
    msk_die "$TAG" "building $IMAGE failed (full mmdebstrap log: $logf)"
  fi
  rm -f "$logf"
  # Tag only an image that works: a half-built one must never look finished.
  local jv
  # The whole output, then its first line: `| head -n1` under pipefail fails whenever head closes the pipe before
  # java has written its last line.
  jv=$(docker run --rm --network none "$tmp" java -version 2>&1) \
    || { docker rmi "$tmp" >/dev/null 2>&1 || true; msk_die "$TAG" "java does not run in the new image: $jv"; }
  jv=${jv%%$'\n'*}
  msk_log "$TAG" "$jv"
  docker tag "$tmp" "$IMAGE" && docker rmi "$tmp" >/dev/null
  # The previous image goes, unless Kafka images still stand on it (they rebuild on the new one).
  if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect -f '{{.Id}}' "$IMAGE")" ]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true
  fi
  msk_log "$TAG" "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
}

main "$@"
