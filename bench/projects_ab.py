"""Drives bench/projects-ab.sh: 6-clip projects (RESOLUTION, 720p by default) alternated between running services (name:port:key:pid)."""
import datetime
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

from bench_common import ffmpeg, machine, multipart

work, targets = sys.argv[1], sys.argv[2:]
ROUNDS = int(os.environ.get("ROUNDS", "6"))
RESOLUTION = os.environ.get("RESOLUTION", "720p")
PROMPTS = ["slow zoom in", "pan left", "orbit", "tilt up", "zoom out", "pan right"]
COLOURS = ["red", "green", "blue", "yellow", "magenta", "cyan"]


images = []
for colour in COLOURS:
    path = f"{work}/{colour}.png"
    ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=1600x900,drawbox=c={colour}@0.5:t=fill", "-frames:v", "1", path)
    images.append(path)
music = f"{work}/music.wav"
ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=90", "-ar", "44100", music)


def call(port, key, method, path, body=None, ctype=None, headers=None):
    request = urllib.request.Request(f"http://localhost:{port}{path}", data=body, method=method,
                                     headers={"X-API-Key": key, **({"Content-Type": ctype} if ctype else {}),
                                              **(headers or {})})
    return json.load(urllib.request.urlopen(request))


def project_run(port, key):
    """One 6-clip project, from the generate call to its completedAt, in seconds."""
    body, ctype = multipart({"name": "ab", "resolution": RESOLUTION, "transitionsEnabled": "true", "musicVolume": "0.5",
                             "ambientAudioEnabled": "true"}, {"music": (music, "audio/wav")})
    project = call(port, key, "POST", "/api/video-projects", body, ctype)["id"]
    for i in range(6):
        body, ctype = multipart({"motionPrompt": PROMPTS[i], "durationSeconds": "5"},
                                {"image": (images[i], "image/png")})
        call(port, key, "POST", f"/api/video-projects/{project}/clips", body, ctype)
    start = time.time()
    answer = call(port, key, "POST", "/api/video-projects/generate",
                  json.dumps({"videoProjectId": project}).encode(), "application/json")
    while True:
        run = call(port, key, "GET", f"/api/runs/{answer['runId']}",
                   headers={"Authorization": f"Bearer {answer['publicAccessToken']}"})
        if run["status"] in ("completed", "failed"):
            break
        time.sleep(0.5)
    if run["status"] != "completed":
        sys.exit(f"run failed: {run['errorMessage']}")
    wall = datetime.datetime.fromisoformat(run["completedAt"].replace("Z", "+00:00")).timestamp() - start
    video = run["finalVideoUrl"]
    return wall, video if video.startswith("http") else f"http://localhost:{port}{video}"


def ssim(first, second):
    """SSIM (All) of two videos, frame by frame, as FFmpeg's ssim filter reports it."""
    done = subprocess.run(["ffmpeg", "-nostdin", "-i", first, "-i", second, "-lavfi", "ssim", "-f", "null", "-"],
                          capture_output=True, text=True, check=True)
    return [line for line in done.stderr.splitlines() if "SSIM" in line][-1].split("] ", 1)[-1]


def cpu_seconds(pid):
    """(the service JVM's CPU, its exited children's: FFmpeg's) in seconds."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks, (int(fields[13]) + int(fields[14])) / ticks


walls, cpus, ffmpeg_cpus, videos = {}, {}, {}, {}
print(f"machine: {machine()}")
for round_no in range(1, ROUNDS + 1):
    for target in (targets if round_no % 2 else list(reversed(targets))):
        name, port, key, pid = target.split(":")
        before, children_before = cpu_seconds(pid)
        wall, video = project_run(port, key)
        after, children_after = cpu_seconds(pid)
        cpu, ffmpeg_cpu = after - before, children_after - children_before
        if name not in videos:
            videos[name] = f"{work}/{name}.mp4"
            urllib.request.urlretrieve(video, videos[name])
        walls.setdefault(name, []).append(wall)
        cpus.setdefault(name, []).append(cpu)
        ffmpeg_cpus.setdefault(name, []).append(ffmpeg_cpu)
        print(f"raw: {round_no} {name} wall {wall:.2f} s, service CPU {cpu:.2f} s, FFmpeg CPU {ffmpeg_cpu:.2f} s, "
              f"load1 {os.getloadavg()[0]:.2f}", flush=True)
for name in walls:
    print(f"{name}: wall median {statistics.median(walls[name]):.2f} s "
          f"({min(walls[name]):.2f}-{max(walls[name]):.2f}), service CPU median {statistics.median(cpus[name]):.2f} s, "
          f"FFmpeg CPU median {statistics.median(ffmpeg_cpus[name]):.2f} s")
names = list(videos)
for other in names[1:]:
    print(f"picture: {other} against {names[0]}, first round's video: {ssim(videos[other], videos[names[0]])}")
