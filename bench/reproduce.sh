#!/usr/bin/env bash
# Reproduces the table of BENCHMARKS.md on this machine, in one command (about 8 minutes on 2 cores):
# relayq's Celery peer (its own settings, and prefetch 4), the ProcessBuilder spawn baseline, and heady bench
# at the same total concurrency (2 agents x 2 slots), then heady at its best configuration, agent memory with
# the launcher's small profile, and the manager alone against 10,000 simulated nodes.
#
#   bench/reproduce.sh [OUT_DIR]        default OUT_DIR: bench/results/<date-time>
#
# Writes OUT_DIR/results.jsonl (one JSON line a run), OUT_DIR/table.md and OUT_DIR/chart.svg, and prints the
# table. Env: PEER_DIR (default: <repo>/../shared/bench), JAR (default: target/heady.jar, built when missing),
# SKIP_PEER=1 (heady only), SKIP_SIM=1 (no 10,000-node simulation). Every process it starts is stopped by PID
# by the tool that started it (run.sh, heady bench), also on Ctrl-C.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PEER_DIR="${PEER_DIR:-$ROOT/../shared/bench}"
JAR="${JAR:-$ROOT/target/heady.jar}"
OUT="${1:-$HERE/results/$(date +%Y%m%d-%H%M%S)}"
RES="$OUT/results.jsonl"
JAVA="${JAVA:-java}"

log() { echo "reproduce: $*" >&2; }

mkdir -p "$OUT"
: >"$RES"
if [[ ! -f "$JAR" ]]; then
  log "building $JAR"
  (cd "$ROOT" && mvn -q -B clean package -DskipTests)
fi
log "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
log "java: $("$JAVA" -version 2>&1 | head -1)"
log "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (take numbers below ~1.5)"
start=$SECONDS

bench() {  # heady bench with the results file; its JSON line goes to the file (and stdout)
  log "heady bench $*"
  # why: the driver keeps every task record it audits (50,000 of them in the best run)
  "$JAVA" -Xmx1g -jar "$JAR" bench --json --history "$RES" "$@" >/dev/null
}

peer() {  # the Celery peer: run.sh KIND N, with env; its JSON line is appended
  log "celery: $*"
  bash "$PEER_DIR/peer-celery/run.sh" "$@" >>"$RES"
}

if [[ -z "${SKIP_PEER:-}" ]]; then
  # relayq's settings (prefetch 1, late acks), then the tuned prefetch 4, at 2 workers x 2
  # why: 2,000 at relayq's ~54/s already take ~40 s; the tuned run gets the same count
  peer noop 2000
  RELAYQ_PREFETCH_MULTIPLIER=4 peer noop 5000
  peer shell 2000
  RELAYQ_PREFETCH_MULTIPLIER=4 peer shell 2000
  INFLIGHT=1 peer noop 2000
  log "spawn baseline: 2000 x sh -c true, 4 at once"
  "$JAVA" "$PEER_DIR/spawn-baseline/Spawn.java" 2000 4 >>"$RES"
fi

# heady at the same total concurrency: 2 agents x 2 slots, memory store, event bus
bench --local --agents 2 --slots 2 --kind noop --tasks 20000
# why: shell runs are slower, so a longer warm-up keeps the JIT's compiling out of the measured phase
bench --local --agents 2 --slots 2 --kind shell --tasks 3000 --warmup 1000
bench --local --agents 2 --slots 2 --kind noop --tasks 2000 --in-flight 1
bench --local --agents 2 --slots 2 --kind noop --tasks 10000 --store redis
# heady at its best: enough slots to keep the pipeline full (noop runs no process), shell at the spawn
# baseline's concurrency on one agent
bench --local --agents 2 --slots 64 --kind noop --tasks 50000 --label "heady noop best: 2x64 memory/eventbus"
bench --local --agents 2 --slots 64 --kind noop --tasks 20000 --store redis \
  --label "heady noop best: 2x64 redis/eventbus"
bench --local --agents 1 --slots 4 --kind shell --tasks 3000 --warmup 1000 --label "heady shell best: 1x4 memory/eventbus"
# agent memory with the launcher's small profile (idle RSS is taken before any task)
bench --local --agents 2 --slots 2 --kind noop --tasks 500 --agent-profile small \
  --label "heady small agents, eventbus"
bench --local --agents 2 --slots 2 --kind noop --tasks 500 --agent-profile small --transport http \
  --label "heady small agents, http"
if [[ -z "${SKIP_SIM:-}" ]]; then
  # the manager alone: 10,000 simulated HTTP nodes, 100,000 tasks queued before they are let go
  bench --local --sim-nodes 10000 --slots 1 --tasks 100000 --warmup 10000 --sim-heartbeat-sec 10 \
    --manager-jvm "-Xmx2g" --label "heady sim: 10,000 nodes, 100,000 queued"
fi

log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); took $((SECONDS - start)) s"
"$JAVA" -Xmx256m -jar "$JAR" bench --table-only --plot-runs 100 --history "$RES" --plot "$OUT/chart.svg" \
  --plot-title "heady vs relayq's Celery peer, $(nproc) cores, loopback" >"$OUT/table.md"
cat "$OUT/table.md"
log "results in $OUT (results.jsonl, table.md, chart.svg)"
