#!/usr/bin/env bash
# Proves the Kafka images work, and prints the figures we use as a baseline:
#   infra/images/smoke-test.sh [RELEASE...]        (default: 4.1.1 3.9.1 3.8.1)
#
# For each release: a single KRaft broker+controller (3.9+) and a ZooKeeper + broker pair (3.x),
# host networking, 127.0.0.1 only, ports in 19000-19999, a PLAINTEXT and an SSL listener whose
# key store and trust store are PEM files (a throwaway ECDSA P-256 CA and broker certificate made
# here with openssl, SAN localhost + IP 127.0.0.1). Checks metadata, produce and consume with kcat
# on both listeners and runs the admin tools (TopicCommand, ConfigCommand) in the container.
# Measures start time (docker run -> kcat -L lists the broker) and memory with a small heap
# (KAFKA_HEAP_OPTS, default -Xms384m -Xmx384m). Removes everything it started.
#
# Environment: OPENMSK_SMOKE_DIR (default /tmp/openmsk-smoke), SMOKE_HEAP_OPTS,
#   OPENMSK_SMOKE_LOGS=DIR keeps each container's log there.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../scripts/lib.sh
. "$HERE/../../scripts/lib.sh"

RELEASES=("$@")
[ ${#RELEASES[@]} -gt 0 ] || RELEASES=(4.1.1 3.9.1 3.8.1)
DIR=${OPENMSK_SMOKE_DIR:-/tmp/openmsk-smoke}
HEAP=${SMOKE_HEAP_OPTS:--Xms384m -Xmx384m}
PREFIX=openmsk-smoke
STARTED=()
FAILURES=0
RESULTS=()

cleanup() {
  local c
  for c in "${STARTED[@]}"; do remove "$c"; done
  rm -rf "$DIR"
}
trap cleanup EXIT

log() { msk_log smoke "$*"; }
remove() { # container...; keeps its log in $OPENMSK_SMOKE_LOGS when set
  local c
  for c in "$@"; do
    if [ -n "${OPENMSK_SMOKE_LOGS:-}" ] && docker inspect "$c" >/dev/null 2>&1; then
      mkdir -p "$OPENMSK_SMOKE_LOGS"
      docker logs "$c" >"$OPENMSK_SMOKE_LOGS/$c.log" 2>&1 || true
    fi
    docker rm -f "$c" >/dev/null 2>&1 || true
  done
}
fail() { log "FAIL: $*"; FAILURES=$((FAILURES + 1)); }

make_certs() {
  mkdir -p "$DIR/tls"
  cd "$DIR/tls"
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=openmsk smoke CA" -keyout ca.key -out ca.pem 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=localhost" -keyout broker.key -out broker.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature\n' >ext.cnf
  openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile ext.cnf -out broker.crt 2>/dev/null
  # Kafka's PEM key store: a PKCS#8 private key followed by the certificate chain.
  openssl pkcs8 -topk8 -nocrypt -in broker.key -out broker.pk8
  cat broker.pk8 broker.crt ca.pem >broker-keystore.pem
  cd - >/dev/null
}

# listeners/ssl part common to every broker
broker_props() { # plaintext-port ssl-port
  cat <<EOF
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
ssl.keystore.type=PEM
ssl.keystore.location=/etc/kafka/tls/broker-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=/etc/kafka/tls/ca.pem
ssl.client.auth=none
log.dirs=/var/lib/kafka/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

node_dir() { # name
  mkdir -p "$DIR/$1/config/tls" "$DIR/$1/data"
  cp "$DIR/tls/ca.pem" "$DIR/tls/broker-keystore.pem" "$DIR/$1/config/tls/"
}

run_node() { # name image role args...
  local dir=$DIR/$1 name=$PREFIX-$1 image=$2
  shift 2
  STARTED+=("$name")
  docker run -d --name "$name" --network host --label openmsk.smoke=1 \
    -e KAFKA_HEAP_OPTS="$HEAP" \
    -v "$dir/config:/etc/kafka:ro" -v "$dir/data:/var/lib/kafka" \
    "$image" "$@" >/dev/null
}

wait_metadata() { # port seconds -> prints seconds waited
  local port=$1 limit=$2 s
  s=$(msk_now)
  # (no `| grep -q`: with pipefail, grep quitting early would fail the pipe with SIGPIPE)
  while [[ "$(timeout 3 kcat -b "127.0.0.1:$port" -L -m 2 2>/dev/null)" != *"broker 1 at"* ]]; do
    if awk -v s="$s" -v e="$(date +%s.%N)" -v l="$limit" 'BEGIN { exit !(e - s > l) }'; then
      return 1
    fi
    sleep 0.1
  done
  msk_elapsed "$s"
}

check_kafka() { # label container plain-port ssl-port
  local label=$1 c=$2 p=$3 sp=$4 topic out ok=1
  topic=smoke-$RANDOM
  # metadata over SSL, verifying the broker certificate against the CA (host name 127.0.0.1)
  out=$(timeout 10 kcat -b "127.0.0.1:$sp" -X security.protocol=ssl -X ssl.ca.location="$DIR/tls/ca.pem" -L -m 5 2>&1 || true)
  if [[ "$out" == *"broker 1 at"* ]]; then
    log "$label: kcat -L over SSL ok"
  else
    fail "$label: kcat -L over SSL"; ok=0
  fi
  printf 'one\ntwo\nthree\n' | timeout 20 kcat -b "127.0.0.1:$p" -t "$topic" -P -X topic.request.required.acks=all
  printf 'four\nfive\n' | timeout 20 kcat -b "127.0.0.1:$sp" -X security.protocol=ssl -X ssl.ca.location="$DIR/tls/ca.pem" -t "$topic" -P
  out=$(timeout 20 kcat -b "127.0.0.1:$sp" -X security.protocol=ssl -X ssl.ca.location="$DIR/tls/ca.pem" -t "$topic" -C -o beginning -e -q | tr '\n' ' ')
  if [ "$out" = "one two three four five " ]; then log "$label: produce (plain+ssl) / consume (ssl) ok"; else fail "$label: consumed '$out'"; ok=0; fi
  out=$(timeout 20 kcat -b "127.0.0.1:$p" -t "$topic" -C -o beginning -e -q | wc -l)
  [ "$out" = 5 ] || { fail "$label: plaintext consume got $out messages"; ok=0; }
  # admin tools inside the container, through the run script
  local s
  s=$(msk_now)
  out=$(docker exec "$c" run class org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$p" --describe --topic "$topic" 2>/dev/null || true)
  if [[ "$out" == *"Topic: $topic"* ]]; then
    log "$label: run class org.apache.kafka.tools.TopicCommand ok ($(msk_elapsed "$s") s)"
  else fail "$label: TopicCommand"; ok=0; fi
  s=$(msk_now)
  if docker exec "$c" run class kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$p" --entity-type topics --entity-name "$topic" --alter --add-config retention.ms=3600000 >/dev/null \
     && [[ "$(docker exec "$c" run configs --bootstrap-server "127.0.0.1:$p" --entity-type topics --entity-name "$topic" --describe)" == *retention.ms=3600000* ]]; then
    log "$label: run class kafka.admin.ConfigCommand (alter+describe) ok ($(msk_elapsed "$s") s)"
  else fail "$label: ConfigCommand"; ok=0; fi
  return $((1 - ok))
}

mem() { # container -> "RSS MiB / cgroup usage"
  local rss
  rss=$(docker exec "$1" ps -o rss= -p 1 | awk '{ printf "%.0f MiB", $1 / 1024 }')
  echo "RSS $rss, docker stats $(docker stats --no-stream --format '{{.MemUsage}}' "$1" | cut -d/ -f1 | tr -d ' ')"
}

kraft() { # release base-port
  local r=$1 b=$2
  local name=kraft-${r//./}
  local p=$b ssl=$((b + 1)) ctl=$((b + 2))
  local image=openmsk/kafka:$r
  node_dir "$name"
  {
    echo "process.roles=broker,controller"
    echo "node.id=1"
    echo "controller.quorum.voters=1@127.0.0.1:$ctl"
    echo "controller.listener.names=CONTROLLER"
    echo "listeners=PLAINTEXT://127.0.0.1:$p,SSL://127.0.0.1:$ssl,CONTROLLER://127.0.0.1:$ctl"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$p,SSL://127.0.0.1:$ssl"
    broker_props
    if [ "${r%%.*}" -ge 4 ]; then
      echo "share.coordinator.state.topic.replication.factor=1"
      echo "share.coordinator.state.topic.min.isr=1"
    fi
  } >"$DIR/$name/config/server.properties"
  local s fmt_t start_t cid
  cid=$(docker run --rm --network none -h localhost "$image" random-uuid 2>/dev/null | tail -n1)
  s=$(msk_now)
  docker run --rm --network host -v "$DIR/$name/config:/etc/kafka:ro" -v "$DIR/$name/data:/var/lib/kafka" \
    "$image" format /etc/kafka/server.properties "$cid" >"$DIR/$name.format.log" 2>&1 \
    || { cat "$DIR/$name.format.log"; fail "$r kraft: format"; return; }
  fmt_t=$(msk_elapsed "$s")
  log "$r kraft: formatted cluster $cid in $fmt_t s: $(tail -n1 "$DIR/$name.format.log")"
  s=$(msk_now)
  run_node "$name" "$image" broker /etc/kafka/server.properties
  if ! start_t=$(wait_metadata "$p" 90); then
    docker logs --tail 40 "$PREFIX-$name"; fail "$r kraft: no metadata within 90 s"; return
  fi
  start_t=$(msk_elapsed "$s")
  log "$r kraft: broker answers kcat -L ${start_t} s after docker run"
  check_kafka "$r kraft" "$PREFIX-$name" "$p" "$ssl" || true
  local m
  m=$(mem "$PREFIX-$name")
  log "$r kraft: memory with $HEAP: $m"
  RESULTS+=("$r KRaft combined: format ${fmt_t}s, start->kcat -L ${start_t}s, $m")
  remove "$PREFIX-$name"
}

zk() { # release base-port
  local r=$1 b=$2
  local zname=zk-${r//./} name=zkbroker-${r//./}
  local zport=$b p=$((b + 11)) ssl=$((b + 12))
  local image=openmsk/kafka:$r
  node_dir "$zname"
  cat >"$DIR/$zname/config/zookeeper.properties" <<EOF
dataDir=/var/lib/kafka/zookeeper
clientPort=$zport
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr
EOF
  node_dir "$name"
  {
    echo "broker.id=1"
    echo "zookeeper.connect=127.0.0.1:$zport"
    echo "listeners=PLAINTEXT://127.0.0.1:$p,SSL://127.0.0.1:$ssl"
    echo "advertised.listeners=PLAINTEXT://127.0.0.1:$p,SSL://127.0.0.1:$ssl"
    broker_props | sed 's/,CONTROLLER:PLAINTEXT//'
  } >"$DIR/$name/config/server.properties"
  local s zk_t start_t total_s
  total_s=$(msk_now)
  s=$(msk_now)
  run_node "$zname" "$image" zookeeper /etc/kafka/zookeeper.properties
  until [ "$(echo ruok | timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$zport; cat >&3; cat <&3" 2>/dev/null)" = imok ]; do
    if awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { exit !(e - s > 60) }'; then
      docker logs --tail 40 "$PREFIX-$zname"; fail "$r zk: zookeeper not up in 60 s"; return
    fi
    sleep 0.1
  done
  zk_t=$(msk_elapsed "$s")
  log "$r zk: zookeeper answers ruok ${zk_t} s after docker run"
  s=$(msk_now)
  run_node "$name" "$image" broker /etc/kafka/server.properties
  if ! start_t=$(wait_metadata "$p" 90); then
    docker logs --tail 40 "$PREFIX-$name"; fail "$r zk: no metadata within 90 s"; return
  fi
  start_t=$(msk_elapsed "$s")
  log "$r zk: broker answers kcat -L ${start_t} s after docker run (pair: $(msk_elapsed "$total_s") s)"
  check_kafka "$r zk" "$PREFIX-$name" "$p" "$ssl" || true
  local m mz
  m=$(mem "$PREFIX-$name"); mz=$(mem "$PREFIX-$zname")
  log "$r zk: broker memory with $HEAP: $m; zookeeper: $mz"
  RESULTS+=("$r ZooKeeper+broker: zk ${zk_t}s, broker start->kcat -L ${start_t}s, broker $m, zookeeper $mz")
  remove "$PREFIX-$name" "$PREFIX-$zname"
}

rm -rf "$DIR"
mkdir -p "$DIR"
make_certs
base=19100
for r in "${RELEASES[@]}"; do
  docker image inspect "openmsk/kafka:$r" >/dev/null 2>&1 || { fail "openmsk/kafka:$r missing (scripts/images.sh)"; continue; }
  if [ "${r%%.*}" -ge 4 ] || [[ "$r" =~ ^3\.(9|[1-9][0-9])\. ]]; then kraft "$r" "$base"; fi
  if [ "${r%%.*}" -lt 4 ]; then zk "$r" "$((base + 50))"; fi
  base=$((base + 100))
done

log "summary:"
for l in "${RESULTS[@]}"; do log "  $l"; done
if [ "$FAILURES" -gt 0 ]; then
  log "$FAILURES check(s) failed"
  exit 1
fi
log "all checks passed"
