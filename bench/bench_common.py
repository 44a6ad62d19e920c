"""What the Python benches share: running ffmpeg quietly, a multipart/form-data body for the API, the inputs of
the project benches (their clips' images, prompts and music), the service's own commands for them, and timing
commands by wall and CPU."""
import os
import subprocess
import time
import urllib.request
import uuid


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-nostdin", *args], check=True)


def multipart(fields, files):
    """fields: name -> value; files: name -> (path, content type). Returns (body, Content-Type header)."""
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in fields.items():
        body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
    for name, (path, ctype) in files.items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; "
                 f"filename=\"{os.path.basename(path)}\"\r\nContent-Type: {ctype}\r\n\r\n").encode()
        body += open(path, "rb").read() + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


COLOURS = ["red", "green", "blue", "yellow", "magenta", "cyan", "orange", "purple", "white", "pink", "gold", "teal"]
PROMPTS = ["slow zoom in", "pan left", "orbit", "tilt up", "zoom out", "pan right", "drift", "tilt down",
           "fast zoom in", "static", "gentle pan left", "dolly in"]
CLIP_SECONDS = 5


def project_inputs(work):
    """One 1600x900 test picture per colour and 90 s of music (a tone) in work; returns (image paths, music path)."""
    images = []
    for i, colour in enumerate(COLOURS):
        path = f"{work}/clip-{i}.png"
        ffmpeg("-f", "lavfi", "-i", f"testsrc2=size=1600x900,drawbox=c={colour}@0.5:t=fill", "-frames:v", "1", path)
        images.append(path)
    music = f"{work}/music.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=330:duration=90", "-ar", "44100", music)
    return images, music


def honest_floor_args(raw, width, height, output):
    """The honest floor's ffmpeg arguments: libx264 at the service's own settings (veryfast, crf 20, GOP 2 s, no
    scene cuts, 2 B-frames) encoding raw yuv420p frames at 25 fps from raw (best in /dev/shm) into output."""
    return ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{width}x{height}", "-r", "25", "-i", raw,
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p",
            "-g", "50", "-sc_threshold", "0", "-bf", "2", "-f", "mp4", output]


def machine():
    """The CPU this run measured on: its model, how many CPUs the run may use, and the vector extensions FFmpeg's and
    the JIT's code can use. Ratios moved by half from one session's machine to the next (bench/README.md)."""
    model, flags = "unknown", set()
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name") and model == "unknown":
            model = line.split(":", 1)[1].strip()
        elif line.startswith("flags") and not flags:
            flags = set(line.split(":", 1)[1].split())
    vectors = "/".join(f for f in ("avx2", "avx512f") if f in flags) or "no avx2"
    return f"{model}, {len(os.sched_getaffinity(0))} CPUs, {vectors}"


def timed(*args):
    """Wall seconds of one quiet ffmpeg run with these arguments."""
    start = time.time()
    ffmpeg(*args)
    return time.time() - start


def honest_floor_seconds(video_url, work, width, height):
    """The floor: libx264 at the service's own settings (veryfast, crf 20, GOP 2 s, no scene cuts, 2 B-frames)
    encoding the delivered video's own frames (fetched from video_url into work), decoded to raw in memory
    beforehand, so no decode, scale, filter, audio, mux or storage is in it."""
    delivered = f"{work}/delivered.mp4"
    raw, encoded = "/dev/shm/reelroute-bench-frames.yuv", "/dev/shm/reelroute-bench-floor.mp4"
    with urllib.request.urlopen(video_url) as answer, open(delivered, "wb") as out:
        out.write(answer.read())
    ffmpeg("-i", delivered, "-an", "-f", "rawvideo", "-pix_fmt", "yuv420p", raw)
    try:
        return timed(*honest_floor_args(raw, width, height, encoded))
    finally:
        for leftover in (raw, encoded):
            if os.path.exists(leftover):
                os.remove(leftover)
