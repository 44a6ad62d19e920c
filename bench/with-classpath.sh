#!/usr/bin/env bash
# Runs the Python bench SCRIPT with a scratch directory and the service's classpath (main and test classes, compiled
# here): python3 SCRIPT WORK CLASSPATH. For the benches that print the service's own FFmpeg commands.
#   bench/with-classpath.sh bench/crossfade.py
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d /tmp/reelroute-bench.XXXXXX)
trap 'rm -rf "$WORK" /dev/shm/reelroute-breakdown' EXIT

mvn -q -B -o test-compile >/dev/null 2>&1 || mvn -q -B test-compile
mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null 2>&1 \
  || mvn -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null

python3 "$1" "$WORK" "target/classes:target/test-classes:$(cat "$WORK/cp.txt")"
