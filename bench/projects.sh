#!/usr/bin/env bash
# Benchmark: video projects of 3, 6 and 12 five-second clips at 720p and 6 at 1080p (transitions, music, ambient
# on), each interleaved with its floor: libx264 at the service's own settings encoding the delivered video's own
# frames, decoded to raw in /dev/shm first (the old floor, a PNG decoded and scaled per frame, is kept as a column).
# BENCH_ROUNDS rounds (default 3); medians, ranges and the load average of each measurement. Reports wall / floor
# (goal: 720p <= 1.8, 1080p <= 1.6) and the peak RSS of one FFmpeg process.
#
#   bench/projects.sh                                   (needs ffmpeg and python3; builds the jar first)
#   BENCH_ROUNDS=1 BENCH_KINDS=3x720p bench/projects.sh (a quick check of one kind)
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
