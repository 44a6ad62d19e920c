#!/usr/bin/env bash
# Benchmark: one image + audio job (30 s of audio, 720p) through the running service, side by side in the same
# run with the very same FFmpeg command run straight from the shell. Reports the ratio job wall time / direct
# FFmpeg time (target <= 1.10), plus start-up time and idle RSS.
#
#   bench/run.sh [rounds]          (default 3 rounds; needs ffmpeg, curl, python3; builds the jar first)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
PORT=${BENCH_PORT:-18080}
KEY="bench-key-$(date +%s)"
WORK=$(mktemp -d /tmp/reelroute-bench.XXXXXX)
trap 'kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

mvn -q -B -o package -DskipTests 2>/dev/null || mvn -q -B package -DskipTests
mvn -q -B -o test-compile 2>/dev/null || mvn -q -B test-compile
mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null 2>&1 \
  || mvn -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$WORK/cp.txt")"
JAR=$(ls target/reelroute-*.jar | grep -v original | head -1)

ffmpeg -v error -y -f lavfi -i "testsrc2=size=1600x900:duration=1" -frames:v 1 "$WORK/image.png"
ffmpeg -v error -y -f lavfi -i "sine=frequency=330:duration=30" -ar 44100 "$WORK/audio.wav"

now() { date +%s.%N; }

# --- start-up time and idle RSS -------------------------------------------------------------------------
start=$(now)
REELROUTE_DATA_DIR="$WORK/data" REELROUTE_BOOTSTRAP_API_KEY="$KEY" PORT=$PORT \
  java -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
until curl -sf "http://localhost:$PORT/health" >/dev/null; do
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }
  sleep 0.05
done
startup=$(python3 -c "print(round($(now) - $start, 2))")
sleep 5
idle_rss_mb=$(( $(ps -o rss= -p "$APP_PID") / 1024 ))

# --- one job through the service ---------------------------------------------------------------------------
job_seconds() {
  local t0 job status
  t0=$(now)
  job=$(curl -sf -X POST "http://localhost:$PORT/api/jobs" -H "X-API-Key: $KEY" \
          -F "image=@$WORK/image.png" -F "audio=@$WORK/audio.wav" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])')
  while :; do
    status=$(curl -sf "http://localhost:$PORT/api/status/$job" -H "X-API-Key: $KEY" \
             | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
    case "$status" in COMPLETED) break ;; FAILED|CANCELLED) echo "job $job $status" >&2; exit 1 ;; esac
    sleep 0.1
  done
  python3 -c "print($(now) - $t0)"
}

# --- the same FFmpeg command, straight from the shell ------------------------------------------------------
direct_seconds() {
  local out t0
  out="$WORK/direct"; rm -rf "$out"; mkdir -p "$out"
  mapfile -t render < <(java -cp "$CP" dev.reelroute.bench.RenderCommand "$WORK/image.png" "$WORK/audio.wav" "$out" render)
  mapfile -t thumbnail < <(java -cp "$CP" dev.reelroute.bench.RenderCommand "$WORK/image.png" "$WORK/audio.wav" "$out" thumbnail)
  t0=$(now)
  "${render[@]}"
  "${thumbnail[@]}"
  python3 -c "print($(now) - $t0)"
}

job_seconds >/dev/null   # warm-up (JIT, caches), not counted
jobs=(); directs=()
for _ in $(seq 1 "$ROUNDS"); do
  directs+=("$(direct_seconds)")
  jobs+=("$(job_seconds)")
done

python3 - "$startup" "$idle_rss_mb" "${#jobs[@]}" "${jobs[@]}" "${directs[@]}" <<'PY'
import statistics, sys
startup, rss, n = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
jobs = [float(x) for x in sys.argv[4:4 + n]]
direct = [float(x) for x in sys.argv[4 + n:4 + 2 * n]]
j, d = statistics.median(jobs), statistics.median(direct)
print(f"rounds: {n} (interleaved: direct, then job)")
print(f"job wall time (submit -> COMPLETED), median: {j:.2f} s   all: {', '.join(f'{x:.2f}' for x in jobs)}")
print(f"direct ffmpeg, median:                      {d:.2f} s   all: {', '.join(f'{x:.2f}' for x in direct)}")
print(f"ratio job / direct: {j / d:.3f}  (target <= 1.10)")
print(f"start-up to healthy: {startup:.2f} s")
print(f"idle RSS after start-up: {rss} MB")
PY
