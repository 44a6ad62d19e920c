#!/usr/bin/env bash
# Issue 19's bench: one 12-clip 720p video project run by one instance and by two (scaled-out profiles mysql, s3,
# artemis: MariaDB on 127.0.0.1:3306, a standalone Artemis and s3proxy started by the bench), side by side, rounds
# alternating; the per-clip hand-off (broker, storage, database) measured in its parts; and the model's expected
# run time on 1, 2, 4 and 8 machines (src/test/java/dev/reelroute/bench/ClipsAcrossInstancesBench.java).
#
#   bench/instances.sh [rounds] [clips] [clip_seconds]     (default 3 12 5)
#
# Needs what the test suite needs (ffmpeg, MariaDB running); builds the test classes. Prints the report, and keeps
# the Maven output in target/clips-across-instances-bench/bench.log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
CLIPS=${2:-12}
CLIP_SECONDS=${3:-5}
mkdir -p target/clips-across-instances-bench
LOG=target/clips-across-instances-bench/bench.log
status=0
mvn -B ${MAVEN_OFFLINE:+-o} -Djacoco.skip=true -Dtest=ClipsAcrossInstancesBench \
  -Dbench.rounds="$ROUNDS" -Dbench.clips="$CLIPS" -Dbench.clip-seconds="$CLIP_SECONDS" \
  -DtrimStackTrace=false test > "$LOG" 2>&1 || status=$?
sed -n '/^raw: /p; /==== bench: clips across instances ====/,/^\[INFO\]/p' \
  target/surefire-reports/dev.reelroute.bench.ClipsAcrossInstancesBench-output.txt "$LOG" 2>/dev/null \
  | grep -v '^\[INFO\]' | awk '!seen[$0]++' || true
[ "$status" -eq 0 ] || { echo "The bench failed (exit $status): see $LOG" >&2; exit "$status"; }
