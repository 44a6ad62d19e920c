#!/usr/bin/env python3
"""Soak: the packaged service on its embedded defaults for DURATION seconds under a steady mix of every job kind
(image + audio, prompt video in mock mode, /api/generate, style transfer, a video project), with pollers reading
each job until it ends and webhook receivers of which some fail at random. Every SAMPLE seconds it records the
service's RSS, heap after a full GC, live threads, open file descriptors, database connections, broker queue depths
and files under the data dir (the work dirs apart from stored outputs); at the end it fits a line to each series
over the warm part (after WARMUP seconds) and says whether it grows beyond its bound.

    bench/soak.sh [duration_s] [sample_s] [warmup_s]    (default 1800 15 300; the wrapper builds the jar)

Needs ffmpeg, espeak-ng, python3, jcmd (the JDK's). Exit status 1 if a series grows past its bound, a job did not
end, or a request failed in a way the service should not answer (5xx).
"""
import http.server
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

DURATION = int(sys.argv[1]) if len(sys.argv) > 1 else 1800
SAMPLE = int(sys.argv[2]) if len(sys.argv) > 2 else 15
WARMUP = int(sys.argv[3]) if len(sys.argv) > 3 else 300
JAR = os.environ["JAR"]
WORK = tempfile.mkdtemp(prefix="reelroute-soak.")
DATA = os.path.join(WORK, "data")
# one submission of each kind in turn, this far apart: the 2-core machine stays busy but not saturated
# each kind runs its own loop (submit, follow to the end, pause), so at most one job of each kind is in flight
PAUSE = float(os.environ.get("PAUSE", "5"))
WEBHOOK_FAILURE_RATE = 0.3

# growth over the warm window that counts as a leak (absolute, in the series' unit)
BOUNDS = {"rss_mb": 60, "heap_after_gc_mb": 20, "threads": 5, "fds": 10, "db_connections": 2,
          "queue_depth": 5, "work_files": 10}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


# ---- inputs -------------------------------------------------------------------------------------------------
IMAGE = os.path.join(WORK, "image.png")
AUDIO = os.path.join(WORK, "audio.wav")
VIDEO = os.path.join(WORK, "source.mp4")
TEMPLATE = os.path.join(WORK, "template.mp4")
ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:duration=1", "-frames:v", "1", IMAGE)
ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=2", "-ar", "44100", AUDIO)
for path, grade in ((VIDEO, "eq=saturation=0.6"), (TEMPLATE, "eq=saturation=1.4:brightness=0.08")):
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2", "-f", "lavfi", "-i",
           "sine=frequency=440:duration=2", "-vf", grade, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
           "-shortest", path)

# ---- webhook receivers: some attempts fail (500), so retries run all the time -------------------------------
deliveries = {"ok": 0, "failed": 0}
deliveries_lock = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        fail = random.random() < WEBHOOK_FAILURE_RATE
        with deliveries_lock:
            deliveries["failed" if fail else "ok"] += 1
        self.send_response(500 if fail else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


receiver = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
threading.Thread(target=receiver.serve_forever, daemon=True).start()
HOOK = f"http://127.0.0.1:{receiver.server_port}/hook"

# ---- the service ----------------------------------------------------------------------------------------------
PORT, MGMT = free_port(), free_port()
BASE, ADMIN = f"http://127.0.0.1:{PORT}", secrets.token_hex(32)
env = dict(os.environ, PORT=str(PORT), SERVER_ADDRESS="127.0.0.1", REELROUTE_MANAGEMENT_PORT=str(MGMT),
           REELROUTE_DATA_DIR=DATA, REELROUTE_ADMIN_TOKEN=ADMIN, REELROUTE_WEBHOOKS_ALLOW_INSECURE_URLS="true",
           REELROUTE_WEBHOOKS_SCHEDULE="0s,1s,2s,4s,8s", REELROUTE_RATE_LIMIT_API_PER_MINUTE="10000000",
           REELROUTE_RATE_LIMIT_SUBMIT_PER_MINUTE="1000000")
log = open(os.path.join(WORK, "app.log"), "w")
app = subprocess.Popen(["java", "-jar", JAR], env=env, stdout=log, stderr=subprocess.STDOUT)


def request(method, path, body=None, headers=None, base=BASE):
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def json_call(method, path, payload=None, headers=None):
    h = dict(headers or {})
    body = None
    if payload is not None:
        body = json.dumps(payload).encode()
        h["Content-Type"] = "application/json"
    status, raw = request(method, path, body, h)
    return status, (json.loads(raw) if raw.strip().startswith(b"{") else {})


def multipart(method, path, fields, files, headers):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, path_on_disk) in files.items():
        with open(path_on_disk, "rb") as f:
            content = f.read()
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f'Content-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    h = dict(headers, **{"Content-Type": f"multipart/form-data; boundary={boundary}"})
    status, raw = request(method, path, b"".join(parts), h)
    return status, (json.loads(raw) if raw.strip().startswith(b"{") else {})


deadline = time.time() + 300
while True:
    if app.poll() is not None:
        sys.exit("the service stopped; see " + log.name)
    try:
        status, raw = request("GET", "/actuator/health/readiness", base=f"http://127.0.0.1:{MGMT}")
        if status == 200:
            break
    except OSError:
        pass
    if time.time() > deadline:
        sys.exit("the service was not ready in 300 s")
    time.sleep(0.5)

status, account = json_call("POST", "/admin/accounts", {"name": "soak", "maxActiveJobsPerKey": 100},
                            {"Authorization": f"Bearer {ADMIN}"})
assert status == 201, (status, account)
KEY = {"X-API-Key": account["apiKey"]}
json_call("POST", f"/admin/accounts/{account['accountId']}/tokens", {"amount": 1000000, "reason": "soak"},
          {"Authorization": f"Bearer {ADMIN}"})

# ---- the work -------------------------------------------------------------------------------------------------
outcomes = {}
outcomes_lock = threading.Lock()
errors = []
pending = []  # (kind, read) where read() -> terminal status or None


def count(kind, outcome):
    with outcomes_lock:
        outcomes.setdefault(kind, {}).setdefault(outcome, 0)
        outcomes[kind][outcome] += 1


def check(kind, status, body, expected):
    if status != expected:
        errors.append(f"{kind}: {status} {body}")
        count(kind, f"refused {status}")
        return False
    return True


def submit_image_audio():
    s, b = multipart("POST", "/api/jobs", {"webhookUrl": HOOK, "webhookEventsFilter": "start,completed"},
                     {"image": ("image.png", IMAGE), "audio": ("audio.wav", AUDIO)}, KEY)
    if check("image-audio", s, b, 201):
        job = b["jobId"]
        return lambda: terminal(json_call("GET", f"/api/status/{job}", headers=KEY)[1].get("status"),
                                ("COMPLETED", "FAILED", "CANCELLED"))


def submit_video_job():
    s, b = multipart("POST", "/api/v1/video-jobs", {"prompt": "A slow zoom in on a lighthouse at dusk",
                                                    "model": "veo-3.1-fast-generate-preview", "resolution": "720p",
                                                    "aspectRatio": "16:9", "durationSeconds": "4",
                                                    "mockMode": "true"}, {"initialImage": ("image.png", IMAGE)}, KEY)
    if check("video-job", s, b, 202):
        job = b["id"]

        def read():
            end = terminal(json_call("GET", f"/api/v1/video-jobs/{job}", headers=KEY)[1].get("status"),
                           ("SUCCEEDED", "FAILED", "CANCELLED"))
            if end:  # its owner deletes it, as a studio's users do: its files go too
                status, body = request("DELETE", f"/api/v1/video-jobs/{job}", headers=KEY)
                if status != 204:
                    errors.append(f"video-job: {status} {body[:200]} on delete")
            return end
        return read


def submit_generate():
    s, b = json_call("POST", "/api/generate", {"prompt": "a cat in space", "script": "A cat floats in space.",
                                               "webhook_url": HOOK}, KEY)
    if check("generate", s, b, 202):
        job = b["job_id"]
        return lambda: terminal(json_call("GET", f"/api/status/{job}", headers=KEY)[1].get("status"),
                                ("completed", "failed"))


def submit_style():
    ids = []
    for path in (VIDEO, TEMPLATE):
        s, b = multipart("POST", "/api/v1/videos", {}, {"file": ("clip.mp4", path)}, KEY)
        if not check("style-transfer", s, b, 201):
            return None
        ids.append(b["data"]["video_id"])
    s, b = json_call("POST", "/api/v1/jobs", {"video_id": ids[0], "template_video_id": ids[1], "config": {},
                                              "webhook_url": HOOK}, KEY)
    if check("style-transfer", s, b, 202):
        job = b["data"]["job_id"]
        return lambda: terminal(json_call("GET", f"/api/v1/jobs/{job}", headers=KEY)[1].get("data", {})
                                .get("status"), ("completed", "failed", "cancelled"))


def submit_project():
    s, b = multipart("POST", "/api/video-projects", {"name": "soak", "resolution": "720p"}, {}, KEY)
    if not check("video-project", s, b, 201):
        return None
    project = b.get("id") or b.get("project", {}).get("id")
    for prompt in ("slow zoom in", "pan left"):
        s, b = multipart("POST", f"/api/video-projects/{project}/clips", {"motionPrompt": prompt,
                                                                          "durationSeconds": "2"},
                         {"image": ("image.png", IMAGE)}, KEY)
        if not check("video-project", s, b, 201):
            return None
    s, b = json_call("POST", "/api/video-projects/generate", {"videoProjectId": project}, KEY)
    if check("video-project", s, b, 200):
        run, token = b["runId"], b["publicAccessToken"]
        return lambda: terminal(json_call("GET", f"/api/runs/{run}", headers={"Authorization": f"Bearer {token}"})[1]
                                .get("status"), ("completed", "failed"))


def terminal(status, ends):
    return status if status in ends else None


KINDS = [("image-audio", submit_image_audio), ("video-job", submit_video_job), ("generate", submit_generate),
         ("style-transfer", submit_style), ("video-project", submit_project)]
stop = threading.Event()


def worker(kind, submit):
    """One kind's closed loop: submit, follow the job to its end, pause, again. A busy machine slows the loop
    instead of piling up a queue, so a growing series is the service's, not the backlog's."""
    while not stop.is_set():
        try:
            read = submit()
            if read:
                count(kind, "submitted")
                item = (kind, read)
                with outcomes_lock:
                    pending.append(item)
                while not stop.is_set() or time.time() < drain_deadline:
                    end = read()
                    if end:
                        with outcomes_lock:
                            pending.remove(item)
                        count(kind, end.lower())
                        break
                    time.sleep(1)
        except Exception as e:  # noqa: BLE001 - a soak keeps going and reports
            errors.append(f"{kind}: {e!r}")
        stop.wait(PAUSE)


# ---- sampling -------------------------------------------------------------------------------------------------
def prometheus():
    _, raw = request("GET", "/actuator/prometheus", base=f"http://127.0.0.1:{MGMT}")
    return raw.decode()


def metric_sum(text, name, label_filter=""):
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and label_filter in line and not line.startswith("#"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def sample():
    subprocess.run(["jcmd", str(app.pid), "GC.run"], capture_output=True)
    text = prometheus()
    with open(f"/proc/{app.pid}/status") as f:
        status = f.read()
    rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    # stored inputs and outputs are what users asked to keep (they grow with the jobs); work dirs must not pile up
    work_files = sum(len(files) for _, _, files in os.walk(os.path.join(DATA, "work")))
    stored_files = sum(len(files) for _, _, files in os.walk(os.path.join(DATA, "storage")))
    return {"t": time.time(), "rss_mb": rss_kb / 1024,
            "heap_after_gc_mb": metric_sum(text, "jvm_memory_used_bytes", 'area="heap"') / 2**20,
            "threads": threads, "fds": len(os.listdir(f"/proc/{app.pid}/fd")),
            "db_connections": metric_sum(text, "hikaricp_connections{"),
            "queue_depth": metric_sum(text, "reelroute_queue_depth"),
            "work_files": work_files, "stored_files": stored_files,
            "load1": float(open("/proc/loadavg").read().split()[0])}


def slope_per_hour(points):
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mv = sum(v for _, v in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    return 0.0 if var == 0 else sum((t - mt) * (v - mv) for t, v in points) / var * 3600


samples = []
start = time.time()
drain_deadline = float("inf")
threads = [threading.Thread(target=worker, args=kind, daemon=True) for kind in KINDS]
for t in threads:
    t.start()
print(f"soak: {DURATION} s, {len(KINDS)} kinds each in its own loop (submit, follow, pause {PAUSE} s), "
      f"samples every {SAMPLE} s, warm after {WARMUP} s; work dir {WORK}", flush=True)
while time.time() - start < DURATION:
    time.sleep(SAMPLE)
    s = sample()
    samples.append(s)
    with outcomes_lock:
        in_flight = len(pending)
    print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in s.items() if k != "t"),
          f"in_flight={in_flight} elapsed={s['t'] - start:.0f}", flush=True)
stop.set()
drain_deadline = time.time() + 300
for t in threads:
    t.join()

warm = [s for s in samples if s["t"] - start >= WARMUP]
print("machine load average (1 min) over the run: mean %.1f, max %.1f"
      % (sum(s["load1"] for s in samples) / len(samples), max(s["load1"] for s in samples)))
print("\nseries over the warm part (%d samples, %.0f s): mean, slope per hour, growth over the window, bound"
      % (len(warm), warm[-1]["t"] - warm[0]["t"]))
failed = False
for name, bound in BOUNDS.items():
    points = [(s["t"], s[name]) for s in warm]
    per_hour = slope_per_hour(points)
    growth = per_hour * (warm[-1]["t"] - warm[0]["t"]) / 3600
    verdict = "ok" if growth <= bound else "GROWS"
    failed |= verdict != "ok"
    print(f"  {name:17s} mean {sum(v for _, v in points) / len(points):9.1f}  slope {per_hour:+9.2f}/h  "
          f"growth {growth:+8.2f}  bound {bound}  {verdict}")
print("\njobs:", json.dumps(outcomes, sort_keys=True))
print("webhook attempts:", deliveries)
print("not ended after the drain:", len(pending))
server_errors = [e for e in errors if re.match(r"\S+: 5\d\d ", e)]
print(f"request errors: {len(errors)} (5xx: {len(server_errors)})")
for e in errors[:10]:
    print("  " + e[:300])
app.terminate()
app.wait(60)
sys.exit(1 if failed or pending or server_errors else 0)
