#!/usr/bin/env bash
# Make sure a Docker engine answers and the host tools that images and broker storage need are
# installed. Idempotent: when `docker info` already answers, the engine is left alone.
# Run it (`bash scripts/docker.sh`) or source it (`. scripts/docker.sh`).
#
# The engine is Debian's docker.io. When none answers we start
#   dockerd --bridge=none --iptables=false --ip-masq=false
# in the background (containers use host networking and bind 127.0.0.1 only), log to
# $OPENMSK_DOCKERD_LOG (default /var/log/openmsk-dockerd.log), and wait up to
# $OPENMSK_DOCKERD_WAIT seconds (default 30) for it to answer.
#
# Host tools: mmdebstrap (JRE base image), maven (Kafka jars), a JDK (openmsk's broker plugins), xfsprogs + util-linux (broker
# volumes: mkfs.xfs, xfs_growfs, losetup), kcat and openssl (tests).

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

msk_docker_up() { docker info >/dev/null 2>&1; }

msk_ensure_docker() {
  if msk_docker_up; then
    msk_log docker "engine answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
    return 0
  fi
  if ! command -v dockerd >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; then
    msk_log docker "dockerd missing: installing Debian's docker.io"
    msk_apt_install docker.io || { msk_log docker "ERROR: could not install docker.io" >&2; return 1; }
  fi
  # A client is needed too; docker.io ships one in /usr/bin, a newer one may sit in /usr/local/bin.
  command -v docker >/dev/null 2>&1 || msk_apt_install docker.io || return 1

  local log=${OPENMSK_DOCKERD_LOG:-/var/log/openmsk-dockerd.log}
  local wait_s=${OPENMSK_DOCKERD_WAIT:-30}
  if pgrep -x dockerd >/dev/null 2>&1; then
    msk_log docker "a dockerd is running but does not answer yet; waiting for it"
  else
    local dockerd_bin
    dockerd_bin=$(command -v dockerd 2>/dev/null || echo /usr/sbin/dockerd)
    mkdir -p "$(dirname "$log")"
    msk_log docker "starting $dockerd_bin --bridge=none --iptables=false --ip-masq=false (log: $log)"
    # setsid + nohup: the daemon must outlive this script and its terminal.
    setsid nohup "$dockerd_bin" --bridge=none --iptables=false --ip-masq=false \
      >>"$log" 2>&1 </dev/null &
  fi
  local start i
  start=$(msk_now)
  for ((i = 0; i < wait_s * 4; i++)); do
    if msk_docker_up; then
      msk_log docker "engine answers after $(msk_elapsed "$start") s"
      return 0
    fi
    sleep 0.25
  done
  msk_log docker "ERROR: dockerd did not answer within ${wait_s} s; last lines of $log:" >&2
  tail -n 20 "$log" >&2 2>/dev/null || true
  return 1
}

msk_ensure_host_tools() {
  local pkgs=()
  command -v mmdebstrap >/dev/null 2>&1 || pkgs+=(mmdebstrap)
  command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
  { command -v javac && command -v jar; } >/dev/null 2>&1 || pkgs+=(default-jdk-headless)
  { command -v mkfs.xfs && command -v xfs_growfs; } >/dev/null 2>&1 || pkgs+=(xfsprogs)
  command -v losetup >/dev/null 2>&1 || pkgs+=(mount)
  command -v kcat >/dev/null 2>&1 || pkgs+=(kcat)
  command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
  # mmdebstrap checks signatures with the Debian archive keys.
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || pkgs+=(debian-archive-keyring)
  if [ ${#pkgs[@]} -gt 0 ]; then
    msk_log docker "installing host tools: ${pkgs[*]}"
    msk_apt_install "${pkgs[@]}" || { msk_log docker "ERROR: could not install ${pkgs[*]}" >&2; return 1; }
  fi
  return 0
}

msk_docker_main() {
  msk_ensure_docker && msk_ensure_host_tools
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  msk_docker_main
else
  msk_docker_main || return 1
fi
