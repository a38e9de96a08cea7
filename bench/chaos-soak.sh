#!/usr/bin/env bash
# The long chaos run (issue 14), outside the test suite: 10,000 shell tasks on a Redis-backed manager with three
# event-bus agents and one http agent, through 10 agent SIGKILLs (each agent restarted a second later with its
# node id and data dir), one agent SIGSTOPped past its TTL, a Redis SIGKILL of 10 s and a manager SIGKILL. It
# passes when no task is lost, failed, doubled or crossed, both completion counters grow by exactly 10,000 and
# every agent is active at the end. About 15 minutes on 2 cores.
#
#   bench/chaos-soak.sh [heady chaos flags]     e.g. --seed 42 (replay a schedule), --keep (keep the logs)
#
# Prints the steps and the audit, then one JSON line; exits as heady chaos does (0 clean, 1 a violation).
# Env: JAR (default: target/heady.jar, built when missing), JAVA (default: java). Every process is started and
# stopped by heady chaos itself, by PID, also on Ctrl-C.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
JAR="${JAR:-$ROOT/target/heady.jar}"
JAVA="${JAVA:-java}"

if [[ ! -f "$JAR" ]]; then
  echo "chaos-soak: building $JAR" >&2
  (cd "$ROOT" && mvn -q -B clean package -DskipTests)
fi
exec "$JAVA" -Xmx512m -jar "$JAR" chaos --local --json --store redis --agents 3 --http-agents 1 --slots 2 \
  --tasks 10000 --rate 20 --task-ms 200 --agent-kills 10 --pauses 1 --pause-sec 8 --redis-kill-sec 10 \
  --manager-kills 1 --restart-after 1 --timeout 600 "$@"
