#!/usr/bin/env bash
# Soak (not part of the test suite): bench/soak.py against the packaged service, built first.
#   bench/soak.sh [duration_s] [sample_s] [warmup_s]      (default 1800 15 300; PAUSE=5 between one kind's jobs)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -o package -DskipTests -Djacoco.skip=true 2>/dev/null || mvn -q -B package -DskipTests -Djacoco.skip=true
JAR=$(ls target/reelroute-*.jar | grep -v original | head -1) exec python3 bench/soak.py "$@"
