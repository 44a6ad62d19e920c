#!/usr/bin/env bash
# Load test (not part of the test suite): JOBS image + audio jobs submitted evenly over DURATION seconds while
# POLLERS clients read GET /api/status/{jobId} of the jobs submitted so far, round-robin; then it waits (at most
# DRAIN seconds) until every job is terminal. Reports the status reads' p50/p90/p99/max, errors by kind, the
# submission latency and the jobs' final statuses (bench/LoadTest.java). Exits non-zero on any error or a job
# that did not end.
#
#   bench/load.sh [jobs] [duration_s] [pollers]          (default 200 300 50)
#   bench/load.sh 20 30 50                              (smoke run)
#
# Environment: POLL_INTERVAL_MS (1000: each poller reads once a second, 0: back to back), AUDIO_SECONDS (2: the
# length, so the render time, of every job), DRAIN (900), COMPARE_SECONDS (0: off; N: afterwards, two fresh
# services side by side, the worker off then on, each under the same rate of submissions and reads for N s,
# without waiting for the jobs: what FFmpeg on the same cores costs the status reads), BENCH_PORT (a free one),
# JAR (target/reelroute-*.jar, built when missing).
#
# The service runs from its jar on embedded defaults, bound to 127.0.0.1 only, with a temp data dir, an admin
# token of this run and the per-IP rate limits raised (every request comes from one address, 127.0.0.1).
# One account with maxActiveJobsPerKey 100 (the admin API's maximum) and enough keys that all jobs may be active
# at once: jobs are spread over the keys round-robin, so none is refused with 409. Needs ffmpeg, curl, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-200}
DURATION=${2:-300}
POLLERS=${3:-50}
POLL_INTERVAL_MS=${POLL_INTERVAL_MS:-1000}
AUDIO_SECONDS=${AUDIO_SECONDS:-2}
DRAIN=${DRAIN:-900}
COMPARE_SECONDS=${COMPARE_SECONDS:-0}
WORK=$(mktemp -d /tmp/reelroute-load.XXXXXX)
APP_PID=
stop_service() {
  if [ -n "$APP_PID" ]; then
    kill "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=
  fi
}
trap 'stop_service; rm -rf "$WORK"' EXIT

JAR=${JAR:-$(ls target/reelroute-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ]; then
  mvn -B -q -o -DskipTests package 2>/dev/null || mvn -B -q -DskipTests package
  JAR=$(ls target/reelroute-*.jar | grep -v original | head -1)
fi

ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:duration=1" -frames:v 1 "$WORK/image.png"
ffmpeg -v error -y -f lavfi -i "sine=frequency=330:duration=$AUDIO_SECONDS" -ar 44100 "$WORK/audio.wav"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cpu_seconds() {  # utime + stime of a process, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"
}

# start_service NAME WORKER_ENABLED: a fresh service with its own data dir; sets APP_PID, BASE, KEYS
start_service() {
  local name=$1 worker=$2 port admin account_json account_id nkeys
  port=${BENCH_PORT:-$(free_port)}
  admin=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
  BASE="http://127.0.0.1:$port"
  SERVER_ADDRESS=127.0.0.1 PORT=$port REELROUTE_DATA_DIR="$WORK/data-$name" REELROUTE_ADMIN_TOKEN="$admin" \
  REELROUTE_RATE_LIMIT_API_PER_MINUTE=10000000 REELROUTE_RATE_LIMIT_SUBMIT_PER_MINUTE=1000000 \
  REELROUTE_WORKER_ENABLED="$worker" \
    java -jar "$JAR" > "$WORK/app-$name.log" 2>&1 &
  APP_PID=$!
  local deadline=$((SECONDS + 180))
  until curl -sf "$BASE/health" >/dev/null; do
    kill -0 "$APP_PID" 2>/dev/null || { tail -50 "$WORK/app-$name.log"; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "service not healthy after 180 s" >&2; tail -50 "$WORK/app-$name.log"; exit 1; }
    sleep 0.2
  done
  # /health answers before every route is up: retry the first admin call for a while
  until account_json=$(curl -sf -X POST "$BASE/admin/accounts" -H "Authorization: Bearer $admin" \
      -H 'Content-Type: application/json' -d '{"name":"load test","maxActiveJobsPerKey":100}'); do
    [ $SECONDS -lt $deadline ] || { echo "admin API not answering" >&2; tail -50 "$WORK/app-$name.log"; exit 1; }
    sleep 0.5
  done
  account_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["accountId"])' <<<"$account_json")
  KEYS=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])' <<<"$account_json")
  nkeys=$(( (JOBS_NOW + 1 + 99) / 100 ))   # + 1: the warm-up job
  for i in $(seq 2 "$nkeys"); do
    KEYS="$KEYS,$(curl -sf -X POST "$BASE/admin/accounts/$account_id/keys" -H "Authorization: Bearer $admin" \
      -H 'Content-Type: application/json' -d "{\"label\":\"load-$i\"}" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["apiKey"])')"
  done
}

# run_load NAME WORKER_ENABLED JOBS DURATION REQUIRE_TERMINAL
run_load() {
  local name=$1 worker=$2 rc=0 cpu0 cpu1 t0 t1
  JOBS_NOW=$3
  start_service "$name" "$worker"
  echo "[$name] service pid $APP_PID on $BASE, worker enabled: $worker, keys: $(tr -cd , <<<"$KEYS" | wc -c | awk '{print $1 + 1}'), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  cpu0=$(cpu_seconds "$APP_PID"); t0=$(date +%s.%N)
  java bench/LoadTest.java --base "$BASE" --keys "$KEYS" --image "$WORK/image.png" --audio "$WORK/audio.wav" \
    --jobs "$3" --duration "$4" --pollers "$POLLERS" --poll-interval-ms "$POLL_INTERVAL_MS" --drain "$DRAIN" \
    --require-terminal "$5" --label "$name" | tee "$WORK/result-$name.txt" || rc=$?
  cpu1=$(cpu_seconds "$APP_PID"); t1=$(date +%s.%N)
  python3 -c "print(f'[$name] service JVM CPU: {$cpu1 - $cpu0:.1f} s over {$t1 - $t0:.0f} s (incl. warm-up and drain; ffmpeg is separate processes); load average: $(cut -d' ' -f1-3 /proc/loadavg)')"
  grep -o 'of video in [0-9.]* s' "$WORK/app-$name.log" | awk '{ s += $4; n++ } END { if (n) printf "['"$name"'] renders logged: %d, mean %.2f s each\n", n, s / n }'
  local warnings
  warnings=$(grep -c -E ' (WARN|ERROR) ' "$WORK/app-$name.log" || true)
  echo "[$name] WARN/ERROR lines in the service log: $warnings"
  [ "$warnings" = 0 ] || grep -E ' (WARN|ERROR) ' "$WORK/app-$name.log" | head -5
  stop_service
  return $rc
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1)"
echo "inputs: 640x360 PNG, ${AUDIO_SECONDS} s WAV; render on the service defaults (1280x720, 25 fps)"
status=0
run_load load true "$JOBS" "$DURATION" true || status=$?

if [ "$COMPARE_SECONDS" -gt 0 ]; then
  # the same rate of submissions as the main run, over COMPARE_SECONDS, without the drain
  cjobs=$(( JOBS * COMPARE_SECONDS / DURATION )); [ "$cjobs" -ge 1 ] || cjobs=1
  run_load worker-off false "$cjobs" "$COMPARE_SECONDS" false || status=$?
  run_load worker-on true "$cjobs" "$COMPARE_SECONDS" false || status=$?
  echo
  echo "== comparison, $cjobs jobs over $COMPARE_SECONDS s each, $POLLERS pollers =="
  grep -h '^RESULT' "$WORK/result-worker-off.txt" "$WORK/result-worker-on.txt"
fi
echo
grep -h '^RESULT' "$WORK"/result-*.txt
exit $status
