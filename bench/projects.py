"""Drives bench/projects.sh: projects through the API against the libx264 floor of their own frames, interleaved."""
import datetime
import json
import os
import statistics
import sys
import threading
import time
import urllib.request

from bench_common import CLIP_SECONDS, PROMPTS, ffmpeg, honest_floor_seconds, machine, multipart, project_inputs, timed

port, key, work = sys.argv[1], sys.argv[2], sys.argv[3]
base = f"http://localhost:{port}"


def call(method, path, body=None, ctype=None, headers=None):
    request = urllib.request.Request(base + path, data=body, method=method,
                                     headers={"X-API-Key": key, **({"Content-Type": ctype} if ctype else {}),
                                              **(headers or {})})
    return json.load(urllib.request.urlopen(request))


class PeakRss(threading.Thread):
    """Peak resident memory of any single ffmpeg process while it runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_kb = 0
        self.running = True

    def run(self):
        while self.running:
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    if open(f"/proc/{pid}/comm").read().strip() != "ffmpeg":
                        continue
                    for line in open(f"/proc/{pid}/status"):
                        if line.startswith("VmRSS:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                except OSError:
                    pass
            time.sleep(0.05)


images, music = project_inputs(work)
pattern = f"{work}/pattern.png"
ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1920x1080", "-frames:v", "1", pattern)


def project_run(clips, resolution):
    """Makes and runs one project; returns (wall seconds, peak MB of one ffmpeg, URL of the delivered video)."""
    body, ctype = multipart({"name": f"bench {clips}", "resolution": resolution, "transitionsEnabled": "true",
                             "musicVolume": "0.5", "ambientAudioEnabled": "true"}, {"music": (music, "audio/wav")})
    project = call("POST", "/api/video-projects", body, ctype)["id"]
    for i in range(clips):
        body, ctype = multipart({"motionPrompt": PROMPTS[i % len(PROMPTS)], "durationSeconds": str(CLIP_SECONDS)},
                                {"image": (images[i % len(images)], "image/png")})
        call("POST", f"/api/video-projects/{project}/clips", body, ctype)
    sampler = PeakRss()
    sampler.start()
    start = time.time()
    answer = call("POST", "/api/video-projects/generate", json.dumps({"videoProjectId": project}).encode(),
                  "application/json")
    while True:
        run = call("GET", f"/api/runs/{answer['runId']}",
                   headers={"Authorization": f"Bearer {answer['publicAccessToken']}"})
        if run["status"] in ("completed", "failed"):
            break
        time.sleep(1)
    sampler.running = False
    if run["status"] != "completed":
        sys.exit(f"run failed: {run['errorMessage']}")
    done = datetime.datetime.fromisoformat(run["completedAt"].replace("Z", "+00:00")).timestamp()
    return done - start, sampler.peak_kb // 1024, run["finalVideoUrl"]


def pattern_floor_seconds(seconds, width, height):
    """The floor this bench used before: a PNG decoded and scaled for every frame, then encoded (about 1.7x a
    pure encode); kept as a column so old figures can be read against new ones."""
    return timed("-loop", "1", "-framerate", "25", "-i", pattern, "-vf", f"scale={width}:{height},format=yuv420p",
                 "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", f"{work}/floor.mp4")


def median(values):
    return statistics.median(values)


def spread(values):
    return f"{min(values):.2f}-{max(values):.2f}"


ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
KINDS = [(3, "720p", (1280, 720)), (6, "720p", (1280, 720)), (12, "720p", (1280, 720)), (6, "1080p", (1920, 1080))]
only = os.environ.get("BENCH_KINDS")
if only:
    KINDS = [k for k in KINDS if f"{k[0]}x{k[1]}" in only.split(",")]
results = {kind: [] for kind in KINDS}
print(f"machine: {machine()}")
print(f"raw: round, project, video s, project wall s, floor s, ratio, pattern floor s, peak MB, load1 ({ROUNDS} rounds)")
for round_no in range(1, ROUNDS + 1):
    # interleaved: each kind's project and its floors back to back, every kind in every round
    for clips, resolution, size in KINDS:
        seconds = clips * CLIP_SECONDS - (clips - 1)
        wall, peak_mb, video_url = project_run(clips, resolution)
        floor = honest_floor_seconds(video_url if video_url.startswith("http") else base + video_url, work, *size)
        pattern_floor = pattern_floor_seconds(seconds, *size)
        load = os.getloadavg()[0]
        results[(clips, resolution, size)].append((wall, floor, pattern_floor, peak_mb, load))
        print(f"raw: {round_no}, {clips} clips {resolution}, {seconds}, {wall:.2f}, {floor:.2f}, {wall / floor:.2f}, "
              f"{pattern_floor:.2f}, {peak_mb}, {load:.2f}", flush=True)

print()
print("| project | video | project wall (median, range) | floor: own frames encoded | ratio (median, range) "
      "| old pattern floor ratio | peak RSS of one ffmpeg | load1 during |")
print("|---|---|---|---|---|---|---|---|")
for (clips, resolution, size), rows in results.items():
    seconds = clips * CLIP_SECONDS - (clips - 1)
    walls = [r[0] for r in rows]
    floors = [r[1] for r in rows]
    ratios = [r[0] / r[1] for r in rows]
    pattern_ratios = [r[0] / r[2] for r in rows]
    print(f"| {clips} clips, {resolution} | {seconds} s | {median(walls):.2f} s ({spread(walls)}) "
          f"| {median(floors):.2f} s ({spread(floors)}) | **{median(ratios):.2f}** ({spread(ratios)}) "
          f"| {median(pattern_ratios):.2f} | {max(r[3] for r in rows)} MB | {spread([r[4] for r in rows])} |")
