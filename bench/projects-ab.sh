#!/usr/bin/env bash
# Before and after, interleaved: one service per checkout (each from its own built jar, its own data dir and ports),
# all running at once, 6-clip projects (transitions, music, ambient; RESOLUTION, default 720p) alternated between
# them, the order reversed every round. Prints each project's wall time (generate call to completedAt) and the CPU
# the service JVM and its FFmpeg processes spent on it, then medians and ranges, and the SSIM of each checkout's
# first video against the first checkout's (the same project, so the same picture is 1.0). ROUNDS rounds (default 6).
#
#   (cd ../before && mvn -q -B package -DskipTests) && mvn -q -B package -DskipTests
#   ROUNDS=6 bench/projects-ab.sh before=../before after=.
#   RESOLUTION=1080p ROUNDS=4 bench/projects-ab.sh before=../before after=.
set -euo pipefail
WORK=$(mktemp -d /tmp/reelroute-projects-ab.XXXXXX)
PIDS=(); TARGETS=(); PORT=18500
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
for spec in "$@"; do
  name=${spec%%=*}; checkout=${spec#*=}; PORT=$((PORT + 10)); key="ab-$name-$(date +%s)"
  jar=$(ls "$checkout"/target/reelroute-*.jar | grep -v original | head -1)
  mkdir -p "$WORK/$name"
  REELROUTE_DATA_DIR="$WORK/$name/data" REELROUTE_BOOTSTRAP_API_KEY="$key" PORT=$PORT \
    REELROUTE_MANAGEMENT_PORT=$((PORT + 1)) REELROUTE_BROKER_TCP_PORT=$((PORT + 2)) \
    java -jar "$jar" > "$WORK/$name/app.log" 2>&1 &
  PIDS+=($!); TARGETS+=("$name:$PORT:$key:$!")
done
for target in "${TARGETS[@]}"; do
  port=$(echo "$target" | cut -d: -f2)
  until curl -sf "http://localhost:$port/health" >/dev/null; do sleep 0.5; done
done
python3 "$(dirname "$0")/projects_ab.py" "$WORK" "${TARGETS[@]}"
