"""Drives bench/projects.sh: projects through the API against the libx264 floor, side by side."""
import datetime
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

port, key, work = sys.argv[1], sys.argv[2], sys.argv[3]
base = f"http://localhost:{port}"
COLOURS = ["red", "green", "blue", "yellow", "magenta", "cyan", "orange", "purple", "white", "pink", "gold", "teal"]
PROMPTS = ["slow zoom in", "pan left", "orbit", "tilt up", "zoom out", "pan right", "drift", "tilt down",
           "fast zoom in", "static", "gentle pan left", "dolly in"]
CLIP_SECONDS = 5


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-nostdin", *args], check=True)


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
    for name, (path, ctype) in files.items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{os.path.basename(path)}\"\r\n"
                 f"Content-Type: {ctype}\r\n\r\n").encode() + open(path, "rb").read() + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


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


images = []
for i, colour in enumerate(COLOURS):
    path = f"{work}/clip-{i}.png"
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=1600x900,drawbox=c={colour}@0.5:t=fill", "-frames:v", "1", path)
    images.append(path)
music = f"{work}/music.wav"
ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=90", "-ar", "44100", music)
pattern = f"{work}/pattern.png"
ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1920x1080", "-frames:v", "1", pattern)


def project_seconds(clips, resolution):
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
    return done - start, sampler.peak_kb // 1024


def floor_seconds(seconds, width, height):
    start = time.time()
    ffmpeg("-loop", "1", "-framerate", "25", "-i", pattern, "-vf", f"scale={width}:{height},format=yuv420p",
           "-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", f"{work}/floor.mp4")
    return time.time() - start


print("| project | video | floor | project wall | ratio | peak RSS of one ffmpeg |")
print("|---|---|---|---|---|---|")
for clips, resolution, size in ((3, "720p", (1280, 720)), (6, "720p", (1280, 720)), (12, "720p", (1280, 720)),
                                (6, "1080p", (1920, 1080))):
    seconds = clips * CLIP_SECONDS - (clips - 1)
    floor = floor_seconds(seconds, *size)
    wall, peak_mb = project_seconds(clips, resolution)
    print(f"| {clips} clips, {resolution} | {seconds} s | {floor:.2f} s | {wall:.2f} s | {wall / floor:.2f} | {peak_mb} MB |",
          flush=True)
