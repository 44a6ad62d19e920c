#!/usr/bin/env bash
# Makes the service's class data sharing archive (docs/operations.md, "Start-up"): one training start of the
# extracted jar on a throwaway data dir and its embedded defaults, until readiness is UP, then SIGTERM; the JVM
# writes the archive of every class the start loaded as it exits. (-Dspring.context.exit=onRefresh would stop before
# Camel, Tomcat and the broker start and leave their classes out: bench/README.md, about 10 % slower to ready.)
#   scripts/cds-archive.sh EXTRACTED_JAR ARCHIVE     (ports: PORT, REELROUTE_MANAGEMENT_PORT, as the service's)
set -euo pipefail
jar=$1
archive=$2
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
REELROUTE_DATA_DIR="$data/data" java -XX:ArchiveClassesAtExit="$archive" -jar "$jar" > "$data/training.log" 2>&1 &
pid=$!
ready=false
for _ in $(seq 1 1500); do # 5 minutes
  if curl -fsS "http://127.0.0.1:${REELROUTE_MANAGEMENT_PORT:-8081}/actuator/health/readiness" >/dev/null 2>&1; then
    ready=true
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
kill "$pid" 2>/dev/null || true
wait "$pid" || true # a JVM ended by SIGTERM exits with 143
$ready || { tail -40 "$data/training.log" >&2; echo "The training start never became ready" >&2; exit 1; }
[ -s "$archive" ] || { tail -40 "$data/training.log" >&2; echo "No archive at $archive" >&2; exit 1; }
