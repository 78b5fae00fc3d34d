#!/usr/bin/env bash
# Make sure Postgres and Redis answer on 127.0.0.1; start whichever is stopped.
set -euo pipefail

log() { printf '[services] %s\n' "$*"; }

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

wait_for() { # name, check function, seconds
  local i
  for ((i = 0; i < $3 * 4; i++)); do "$2" && return 0; sleep 0.25; done
  log "$1 did not come up within $3 s"; return 1
}

if pg_up; then
  log "postgres: up"
else
  log "postgres: stopped, starting it"
  if ! command -v pg_ctlcluster >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for postgres pg_up 30
fi

if redis_up; then
  log "redis: up"
else
  log "redis: stopped, starting it"
  if ! command -v redis-server >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/openmsk.log
  wait_for redis redis_up 15
fi
