#!/usr/bin/env bash
# Soak (not part of the test suite): the packaged service for DURATION seconds (default 1800 = 30 minutes) under a
# steady mix of every job kind: each CYCLE seconds one image + audio job, one prompt video job, one /api/generate
# job, one style-transfer job and one video project run, half of them with a webhook to a local receiver that
# answers 200 and half to one that answers 500 to every other attempt (retried on a short schedule, some end on the
# dead-letter queue); POLLERS clients read the statuses of the recent jobs once a second each. Every SAMPLE seconds
# it records the service's RSS, heap after a full GC (jcmd GC.run, then the heap in use), live threads, open file
# descriptors, database connections (Hikari), broker queue depths and files under the data dir (stored files apart:
# they are kept, so they grow with the jobs by design and are only reported); at the end it
# prints, for each, the warm mean and the least-squares slope over the samples after WARM seconds, and whether it
# holds: its fitted growth over the warm window stays under 5 % of its warm mean (or under 2 for counts that sit
# near zero, such as queue depths). Exits non-zero when one grows or a job ends in an unexpected state. A run
# shorter than the service's warm-up (thread pools, caches, a queue that builds while the machine is busy) says
# nothing about leaks.
#
#   bench/soak.sh [duration_s] [cycle_s]       (default 1800 20)
#   bench/soak.sh 120 10                       (smoke run: proves the script, says nothing about leaks)
#
# Environment: SAMPLE (30; 10 when the run is shorter than 10 minutes), WARM (a fifth of the run), POLLERS (4),
# BENCH_PORT, JAR (target/reelroute-*.jar, built when missing), KEEP=1 keeps the work dir with samples.csv and the
# service log. Needs ffmpeg, python3, jcmd (the JDK's).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-1800}
CYCLE=${2:-20}
if [ "$DURATION" -lt 600 ]; then SAMPLE=${SAMPLE:-10}; else SAMPLE=${SAMPLE:-30}; fi
WARM=${WARM:-$((DURATION / 5))}
POLLERS=${POLLERS:-4}
WORK=$(mktemp -d /tmp/reelroute-soak.XXXXXX)
APP_PID=
stop_service() {
  if [ -n "$APP_PID" ]; then
    kill "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
}
trap 'stop_service; if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi' EXIT

JAR=${JAR:-$(ls target/reelroute-*.jar 2>/dev/null | grep -v original | head -1 || true)}
if [ -z "$JAR" ]; then
  mvn -B -q -o -DskipTests package 2>/dev/null || mvn -B -q -DskipTests package
  JAR=$(ls target/reelroute-*.jar | grep -v original | head -1)
fi

ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:duration=1" -frames:v 1 "$WORK/image.png"
ffmpeg -v error -y -f lavfi -i "sine=frequency=330:duration=2" -ar 44100 "$WORK/audio.wav"
ffmpeg -v error -y -f lavfi -i "testsrc2=size=320x180:rate=25:duration=2" -f lavfi -i "sine=frequency=440:duration=2" \
  -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "$WORK/clip.mp4"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=${BENCH_PORT:-$(free_port)}
MANAGEMENT_PORT=$(free_port)
ADMIN=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
SERVER_ADDRESS=127.0.0.1 PORT=$PORT REELROUTE_MANAGEMENT_PORT=$MANAGEMENT_PORT REELROUTE_DATA_DIR="$WORK/data" \
REELROUTE_ADMIN_TOKEN="$ADMIN" REELROUTE_RATE_LIMIT_API_PER_MINUTE=10000000 \
REELROUTE_RATE_LIMIT_SUBMIT_PER_MINUTE=1000000 REELROUTE_WEBHOOKS_ALLOW_INSECURE_URLS=true \
REELROUTE_WEBHOOKS_SCHEDULE=0s,2s,5s,10s REELROUTE_WEBHOOKS_JITTER=0 \
  java -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
deadline=$((SECONDS + 180))
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do
  kill -0 "$APP_PID" 2>/dev/null || { tail -50 "$WORK/app.log"; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "service not healthy after 180 s" >&2; tail -50 "$WORK/app.log"; exit 1; }
  sleep 0.2
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); service pid $APP_PID on :$PORT"
echo "soak: ${DURATION} s, a job of each of 5 kinds every ${CYCLE} s, $POLLERS pollers, a sample every ${SAMPLE} s, warm after ${WARM} s"

rc=0
python3 - "$WORK" "$PORT" "$MANAGEMENT_PORT" "$ADMIN" "$APP_PID" "$DURATION" "$CYCLE" "$SAMPLE" "$WARM" "$POLLERS" <<'PY' || rc=$?
import http.server, json, os, random, re, subprocess, sys, threading, time, urllib.error, urllib.request, uuid

work, port, mport, admin, pid = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
duration, cycle, sample_every, warm, pollers = (float(a) for a in sys.argv[6:11])
base = f"http://127.0.0.1:{port}"
stop = threading.Event()
lock = threading.Lock()
recent = []            # (kind, status path) of the jobs submitted lately, for the pollers
outcomes = {}          # kind -> {final status: count}
errors = {}            # what went wrong on the client side, by kind
busy = {}              # submissions skipped: the account had its limit of jobs of that kind in progress
hooks = {"ok": 0, "flaky-500": 0, "flaky-200": 0}

def count(table, key):
    with lock:
        table[key] = table.get(key, 0) + 1

def call(method, path, body=None, headers=None, timeout=60):
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()

def multipart(fields, files):
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
    for name, (path, ctype) in files.items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{os.path.basename(path)}\"\r\n"
                 f"Content-Type: {ctype}\r\n\r\n").encode() + open(path, "rb").read() + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"

class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/flaky") and random.random() < 0.5:
            count(hooks, "flaky-500"); self.send_response(500)
        else:
            count(hooks, "ok" if self.path.startswith("/ok") else "flaky-200"); self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass

receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
hook_base = f"http://127.0.0.1:{receiver.server_address[1]}"

status, body = call("POST", "/admin/accounts", json.dumps({"name": "soak", "maxActiveJobsPerKey": 100}).encode(),
                    {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
account = json.loads(body)
key = account["apiKey"]
call("POST", f"/admin/accounts/{account['accountId']}/tokens", json.dumps({"amount": 10_000_000, "reason": "soak"}).encode(),
     {"Authorization": f"Bearer {admin}", "Content-Type": "application/json"})
auth = {"X-API-Key": key}
image, audio, clip = (os.path.join(work, n) for n in ("image.png", "audio.wav", "clip.mp4"))

def remember(kind, path_and_headers):
    with lock:
        recent.append((kind, *path_and_headers))
        del recent[:-50]

def submit(kind, n):
    hook = f"{hook_base}/{'flaky' if n % 2 else 'ok'}/{kind}"
    if kind == "image-audio":
        body, ctype = multipart({"webhookUrl": hook}, {"image": (image, "image/png"), "audio": (audio, "audio/wav")})
        status, answer = call("POST", "/api/jobs", body, {**auth, "Content-Type": ctype})
        return status, answer, lambda a: (f"/api/status/{a['jobId']}", auth)
    if kind == "video-job":
        body, ctype = multipart({"prompt": f"soak pan {n}", "model": "kling-v2.1", "resolution": "720p",
                                 "aspectRatio": "16:9", "durationSeconds": "4", "mockMode": "true"}, {})
        status, answer = call("POST", "/api/v1/video-jobs", body, {**auth, "Content-Type": ctype})
        return status, answer, lambda a: (f"/api/v1/video-jobs/{a['id']}", auth)
    if kind == "generate":
        status, answer = call("POST", "/api/generate", json.dumps({"prompt": f"soak harbour {n}", "webhook_url": hook}).encode(),
                              {**auth, "Content-Type": "application/json"})
        return status, answer, lambda a: (f"/api/status/{a['job_id']}", auth)
    if kind == "style-transfer":
        ids = []
        for _ in range(2):
            body, ctype = multipart({}, {"file": (clip, "video/mp4")})
            status, answer = call("POST", "/api/v1/videos", body, {**auth, "Content-Type": ctype})
            if status != 201:
                return status, answer, None
            ids.append(json.loads(answer)["data"]["video_id"])
        status, answer = call("POST", "/api/v1/jobs", json.dumps({"video_id": ids[0], "template_video_id": ids[1],
                              "config": {}, "webhook_url": hook}).encode(), {**auth, "Content-Type": "application/json"})
        return status, answer, lambda a: (f"/api/v1/jobs/{a['data']['job_id']}", auth)
    # a video project of one clip, and its run
    body, ctype = multipart({"name": f"soak {n}"}, {})
    status, answer = call("POST", "/api/video-projects", body, {**auth, "Content-Type": ctype})
    if status != 201:
        return status, answer, None
    project = json.loads(answer)["id"]
    body, ctype = multipart({"motionPrompt": "slow zoom in", "durationSeconds": "2"}, {"image": (image, "image/png")})
    status, answer = call("POST", f"/api/video-projects/{project}/clips", body, {**auth, "Content-Type": ctype})
    if status >= 300:
        return status, answer, None
    status, answer = call("POST", "/api/video-projects/generate", json.dumps({"videoProjectId": project}).encode(),
                          {**auth, "Content-Type": "application/json"})
    return status, answer, lambda a: (f"/api/runs/{a['runId']}",
                                                {"Authorization": f"Bearer {a['publicAccessToken']}"})

KINDS = ["image-audio", "video-job", "generate", "style-transfer", "video-project"]
submitted = {k: 0 for k in KINDS}

def submitter():
    n = 0
    next_at = time.time()
    while not stop.is_set():
        for kind in KINDS:
            try:
                status, answer, path = submit(kind, n)
                if status == 429:
                    count(busy, kind)   # the account's limit of jobs in progress: this cycle skips the kind
                elif status >= 300 or path is None:
                    count(errors, f"{kind} submit {status}: {answer[:120]!r}")
                else:
                    remember(kind, path(json.loads(answer)))
                    with lock:
                        submitted[kind] += 1
            except Exception as failure:
                count(errors, f"{kind} submit: {type(failure).__name__}")
        n += 1
        next_at += cycle
        stop.wait(max(0, next_at - time.time()))

def poller():
    while not stop.is_set():
        with lock:
            picks = list(recent)
        if picks:
            kind, path, headers = random.choice(picks)
            try:
                status, _ = call("GET", path, headers=headers, timeout=30)
                if status != 200:
                    count(errors, f"{kind} poll {status}")
            except Exception as failure:
                count(errors, f"{kind} poll: {type(failure).__name__}")
        stop.wait(1)

def metrics():
    with urllib.request.urlopen(f"http://127.0.0.1:{mport}/actuator/prometheus", timeout=30) as answer:
        text = answer.read().decode()
    values = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = re.match(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([-0-9.eE+NaN]+)', line)
        if match:
            values.setdefault(match.group(1), []).append((match.group(2) or "", float(match.group(3))))
    return values

def total(values, name, label=""):
    return sum(v for labels, v in values.get(name, []) if label in labels)

def take_sample():
    subprocess.run(["jcmd", pid, "GC.run"], capture_output=True, timeout=120)
    values = metrics()
    rss = int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{pid}/status").read()).group(1)) / 1024
    row = {"rss_mb": rss,
           "heap_after_gc_mb": total(values, "jvm_memory_used_bytes", 'area="heap"') / 2**20,
           "live_threads": total(values, "jvm_threads_live_threads"),
           "open_fds": len(os.listdir(f"/proc/{pid}/fd")),
           "db_connections": total(values, "hikaricp_connections"),
           "db_connections_active": total(values, "hikaricp_connections_active"),
           # stored inputs and outputs are kept (no retention), so they grow with the jobs by design: reported, not
           # held to the bound; everything else under the data dir (scratch, database, journal) is
           "files_in_data_dir_but_storage": sum(len(files) for root, _, files in os.walk(os.path.join(work, "data"))
                                                if not root.startswith(os.path.join(work, "data", "storage"))),
           "info:stored_files": sum(len(files) for _, _, files in os.walk(os.path.join(work, "data", "storage")))}
    for labels, v in values.get("reelroute_queue_depth", []):
        queue = re.search(r'queue="([^"]*)"', labels)
        row[f"queue:{queue.group(1) if queue else labels}"] = v
    return row

threads = [threading.Thread(target=submitter, daemon=True)] + [threading.Thread(target=poller, daemon=True)
                                                               for _ in range(int(pollers))]
for t in threads:
    t.start()
start = time.time()
samples = []
while time.time() - start < duration:
    try:
        samples.append((time.time() - start, take_sample()))
    except Exception as failure:
        count(errors, f"sample: {type(failure).__name__}: {failure}")
    time.sleep(max(0, sample_every - (time.time() - start) % sample_every))
stop.set()

# what each job ended as (read once at the end; the last ones may still run)
with lock:
    finals = list(recent)
for kind, path, headers in finals:
    status, answer = call("GET", path, headers=headers)
    text = answer.decode(errors="replace").lower()
    state = next((s for s in ("completed", "succeeded", "failed", "cancelled") if f'"{s}"' in text), "running")
    count(outcomes.setdefault(kind, {}), state)

names = sorted({name for _, row in samples for name in row})
with open(os.path.join(work, "samples.csv"), "w") as out:
    out.write("t," + ",".join(names) + "\n")
    for t, row in samples:
        out.write(f"{t:.0f}," + ",".join(str(row.get(n, "")) for n in names) + "\n")

print(f"\nsubmitted: {submitted}; skipped at the in-progress limit: {busy or 'none'}; webhook answers: {hooks}")
print(f"last {len(finals)} jobs at the end: {outcomes}")
print(f"client-side errors: {errors or 'none'}")
warm_rows = [(t, row) for t, row in samples if t >= warm]
print(f"\n{'measure':34} {'warm mean':>12} {'slope /h':>12} {'growth over warm':>17}  verdict   ({len(warm_rows)} warm samples)")
grows = []
for name in names:
    points = [(t, row[name]) for t, row in warm_rows if name in row]
    if len(points) < 3:
        print(f"{name:34} {'-':>12} {'-':>12} {'-':>17}  too few samples")
        continue
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    slope = sum((t - mt) * (v - mv) for t, v in points) / var if var else 0.0
    span = points[-1][0] - points[0][0]
    growth = slope * span
    bound = max(0.05 * abs(mv), 2.0)
    verdict = "reported" if name.startswith("info:") else "holds" if growth < bound else "GROWS"
    if verdict == "GROWS":
        grows.append(name)
    print(f"{name:34} {mv:12.1f} {slope * 3600:12.2f} {growth:17.2f}  {verdict} (bound {bound:.1f})")
bad_ends = {k: v for k, v in outcomes.items() if set(v) - {"completed", "succeeded", "running"}}
if grows or bad_ends:
    print(f"\nNOT STEADY: growing {grows or 'nothing'}; unexpected ends {bad_ends or 'none'}")
    sys.exit(1)
print("\nsteady: nothing grows once warm")
PY
warnings=$(grep -c -E ' (WARN|ERROR) ' "$WORK/app.log" || true)
echo "WARN/ERROR lines in the service log: $warnings"
[ "$warnings" = 0 ] || grep -E ' (WARN|ERROR) ' "$WORK/app.log" | cut -c1-240 | sort | uniq -c | sort -rn | head -5
exit $rc
