#!/usr/bin/env bash
# Benchmark: video projects of 3, 6 and 12 five-second clips at 720p and 6 at 1080p (transitions, music, ambient
# on), each side by side in the same run with the floor: one libx264 veryfast encode of a static test pattern of
# the same duration and size. Reports wall time / floor (target <= 1.8 at 720p) and peak RSS per FFmpeg process.
#
#   bench/projects.sh            (needs ffmpeg and python3; builds the jar first)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18081}
KEY="bench-key-$(date +%s)"
WORK=$(mktemp -d /tmp/reelroute-projects-bench.XXXXXX)
trap 'kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

mvn -q -B -o package -DskipTests 2>/dev/null || mvn -q -B package -DskipTests
JAR=$(ls target/reelroute-*.jar | grep -v original | head -1)

REELROUTE_DATA_DIR="$WORK/data" REELROUTE_BOOTSTRAP_API_KEY="$KEY" PORT=$PORT java -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
until curl -sf "http://localhost:$PORT/health" >/dev/null; do
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }
  sleep 0.2
done

python3 bench/projects.py "$PORT" "$KEY" "$WORK"
