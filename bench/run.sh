#!/usr/bin/env bash
# Benchmark: one image + audio job (30 s of audio, 720p) through the running service, side by side in the same
# run with the very same FFmpeg command run straight from the shell, and with the honest floor: libx264 at the
# service's settings encoding the job's own delivered frames from raw in /dev/shm (bench_common.honest_floor_seconds,
# as projects.py).
# Each round runs direct, job, floor in that order; medians, ranges and the load average of each round. Reports the
# ratios job wall time / direct FFmpeg time (target <= 1.10) and job / floor, plus start-up time and idle RSS.
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
  # Submit, then poll once a second like a normal client; the end is the job's own completion time
  # (updatedAt of the COMPLETED status, same machine clock), so the poll interval neither adds latency nor,
  # as fast polling would on 2 cores, takes CPU away from FFmpeg.
  python3 - "$PORT" "$KEY" "$WORK/image.png" "$WORK/audio.wav" <<'PY'
import datetime, json, sys, time, urllib.request, uuid
port, key, image, audio = sys.argv[1:5]
boundary = uuid.uuid4().hex
body = b""
for field, path, ctype in (("image", image, "image/png"), ("audio", audio, "audio/wav")):
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{path.rsplit('/', 1)[-1]}\"\r\n"
             f"Content-Type: {ctype}\r\n\r\n").encode() + open(path, "rb").read() + b"\r\n"
body += f"--{boundary}--\r\n".encode()
t0 = time.time()
request = urllib.request.Request(f"http://localhost:{port}/api/jobs", data=body, method="POST",
                                 headers={"X-API-Key": key, "Content-Type": f"multipart/form-data; boundary={boundary}"})
job = json.load(urllib.request.urlopen(request))["jobId"]
status_request = urllib.request.Request(f"http://localhost:{port}/api/status/{job}", headers={"X-API-Key": key})
while True:
    answer = json.load(urllib.request.urlopen(status_request))
    if answer["status"] == "COMPLETED":
        break
    if answer["status"] in ("FAILED", "CANCELLED"):
        sys.exit(f"job {job} {answer['status']}")
    time.sleep(1)
completed = datetime.datetime.fromisoformat(answer["updatedAt"].replace("Z", "+00:00")).timestamp()
print(completed - t0, answer["outputVideo"])
PY
}

# --- the honest floor: the job's own frames, from raw in memory, encoded at the service's settings -----------
floor_seconds() {
  python3 - "$1" "$WORK" "$PORT" <<'PY'
import sys
sys.path.insert(0, "bench")
from bench_common import honest_floor_seconds
url, work, port = sys.argv[1:4]
print(honest_floor_seconds(url if url.startswith("http") else f"http://localhost:{port}{url}", work, 1280, 720))
PY
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
  local t1; t1=$(now)
  [ -s "$out/output.mp4" ] && [ -s "$out/thumbnail.jpg" ] || { echo "direct render failed" >&2; return 1; }
  python3 -c "print($t1 - $t0)"
}

job_seconds >/dev/null   # warm-up (JIT, caches), not counted
jobs=(); directs=(); floors=(); loads=()
for _ in $(seq 1 "$ROUNDS"); do
  loads+=("$(cut -d' ' -f1 /proc/loadavg)")
  d=$(direct_seconds) || exit 1; directs+=("$d")
  read -r j video < <(job_seconds) || exit 1; jobs+=("$j")
  f=$(floor_seconds "$video") || exit 1; floors+=("$f")
done

# the render times the service measured itself (last ROUNDS jobs), to split FFmpeg time from service overhead
mapfile -t inside < <(grep -o 'of video in [0-9.]* s' "$WORK/app.log" | awk '{print $4}' | tail -n "$ROUNDS")

python3 - "$startup" "$idle_rss_mb" "${#jobs[@]}" "${jobs[@]}" "${directs[@]}" "${floors[@]}" "${loads[@]}" \
  "${inside[@]}" <<'PY'
import statistics, sys
startup, rss, n = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
values = [float(x) for x in sys.argv[4:]]
jobs, direct, floor, loads = (values[k * n:(k + 1) * n] for k in range(4))
inside = values[4 * n:]
j, d, f = statistics.median(jobs), statistics.median(direct), statistics.median(floor)
def spread(xs):
    return f"{min(xs):.2f}-{max(xs):.2f}, all: {', '.join(f'{x:.2f}' for x in xs)}"
print(f"rounds: {n} (interleaved: direct, job, floor); load1 at each round's start: {', '.join(map(str, loads))}")
print(f"job wall time (submit -> completedAt), median: {j:.2f} s ({spread(jobs)})")
print(f"direct ffmpeg, median:                      {d:.2f} s ({spread(direct)})")
print(f"honest floor (its own frames from raw), median: {f:.2f} s ({spread(floor)})")
print(f"ratio job / direct: {j / d:.3f}  (target <= 1.10), per round: "
      + ", ".join(f"{a / b:.3f}" for a, b in zip(jobs, direct)))
print(f"ratio job / honest floor: {j / f:.3f}, per round: " + ", ".join(f"{a / b:.3f}" for a, b in zip(jobs, floor)))
if inside:
    i = statistics.median(inside)
    print(f"FFmpeg render + thumbnail inside the service, median: {i:.2f} s; the rest of the job: {j - i:.2f} s")
print(f"start-up to healthy: {startup:.2f} s")
print(f"idle RSS after start-up: {rss} MB")
PY
