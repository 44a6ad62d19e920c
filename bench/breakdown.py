"""Drives bench/breakdown.sh: a project's FFmpeg work in its parts, from the service's own commands and variants of
them that leave parts out, against the honest floor; interleaved rounds, wall and CPU of each."""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

from bench_common import PROMPTS, children_cpu, ffmpeg, honest_floor_args, measure, printed_commands, project_inputs, run

work, classpath = sys.argv[1], sys.argv[2]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CLIPS = 6
CLIP_CONCURRENCY = 3  # application.yaml's clip-concurrency: clips rendered at once on an instance
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
SIZES = {name: SIZES[name] for name in os.environ.get("BENCH_SIZES", "720p,1080p").split(",")}
ONE_CLIP = 1  # the clip the one-clip table shows: a middle one ("pan left"), with a transition in and one out
SHM = "/dev/shm/reelroute-breakdown"


# ---- variants of a segment command: the same inputs and graph with parts left out ----

def null_output(prefix, frames):
    """As the render ends, with the null muxer in place of the encoder and the file."""
    return prefix + ["-r", "25", "-frames:v", frames, "-f", "null", "-"]


def second_input_dropped(command):
    """The segment command without the next clip's image (its input block: -framerate 25 ... -i IMAGE)."""
    second = [i for i, arg in enumerate(command) if arg == "-i"][1]
    start = second - 6
    assert command[start] == "-framerate", command
    return command[:start] + command[second + 2:]


def segment_variants(command, width, height, raw, floor_out):
    graph_at = command.index("-filter_complex") + 1
    graph = command[graph_at]
    frames = command[command.index("-frames:v") + 1]
    through_filter = command[:command.index("-an") + 1]
    chains = graph.split(";")
    if len(chains) == 1:  # the last clip: no crossfade to leave out
        no_crossfade = through_filter
    else:
        assert chains[0].endswith("[a]") and chains[-1].endswith("[video]"), graph
        no_crossfade = second_input_dropped(through_filter)
        no_crossfade[no_crossfade.index("-filter_complex") + 1] = chains[0][:-len("[a]")] + "[video]"
    no_motion = list(no_crossfade)
    fc = no_motion.index("-filter_complex") + 1
    no_motion[fc] = re.sub(r",perspective=[^,;\[]*", "", no_motion[fc])
    assert "perspective" not in no_motion[fc]
    inputs = sum(1 for arg in command if arg == "-i")
    decode = command[:graph_at - 1] + [a for i in range(inputs) for a in ("-map", f"{i}:v")] + ["-f", "null", "-"]
    head = command[:command.index("-nostats") + 1]
    raw_input = honest_floor_args(raw, width, height, floor_out)[:10]  # -f rawvideo ... -i RAW
    floor = head + raw_input + command[command.index("-an") + 1:-1] + [floor_out]  # the render's own encoder options
    return {"decode": decode, "no_motion": null_output(no_motion, frames),
            "no_crossfade": null_output(no_crossfade, frames), "graph": null_output(through_filter, frames),
            "render": command, "floor": floor}


# ---- variants of the compile: the concat and mux alone, the audio alone ----

def compile_variants(command, out_dir):
    graph_at = command.index("-filter_complex")
    music_at = command.index("-stream_loop")
    aac_at = command.index("-c:a")
    concat_only = (command[:music_at] + ["-map", "0:v:0"] + command[command.index("-map_metadata"):aac_at]
                   + command[aac_at + 8:-1] + [f"{out_dir}/concat-only.mp4"])
    audio_mix = command[:graph_at + 2] + ["-map", "[audio]", "-f", "null", "-"]
    audio_encoded = [arg for i, arg in enumerate(command[:-1])
                     if command[i:i + 2] != ["-map", "0:v:0"] and command[i - 1:i + 1] != ["-map", "0:v:0"]
                     and command[i:i + 2] != ["-c:v", "copy"] and command[i - 1:i + 1] != ["-c:v", "copy"]]
    audio_encoded += [f"{out_dir}/audio-only.mp4"]
    return {"concat_mux": concat_only, "audio_mix": audio_mix, "audio_aac": audio_encoded, "compile": command}


def to_raw(video, raw):
    ffmpeg("-i", video, "-an", "-f", "rawvideo", "-pix_fmt", "yuv420p", raw)


def stored(files, store):
    """The storage step's disk work as a proxy: each file copied under a temporary name and renamed into place, as
    camel-file stores it."""
    start = time.time()
    for path in files:
        target = f"{store}/{os.path.basename(path)}"
        shutil.copyfile(path, f"{store}/.part-{os.path.basename(path)}")
        os.replace(f"{store}/.part-{os.path.basename(path)}", target)
    return time.time() - start, 0.0


os.makedirs(SHM, exist_ok=True)
images, music = project_inputs(work)
plans = {}
for name, (width, height) in SIZES.items():
    commands = printed_commands(work, classpath, images, music, CLIPS, name, width, height)
    measure(commands["segments"], CLIP_CONCURRENCY)  # makes the segments the compile and the floors read
    measure([commands["compile"], commands["thumbnail"]])
    plans[name] = commands
    print(f"{name} segment {ONE_CLIP}: {' '.join(commands['segments'][ONE_CLIP])}")
    print(f"{name} compile: {' '.join(commands['compile'])}")
print(f"ffmpeg: {subprocess.run(['ffmpeg', '-version'], capture_output=True, text=True).stdout.splitlines()[0]}")

START = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "color=s=16x16:d=0.04",
         "-f", "null", "-"]
results = {}  # (size, measurement) -> list of (wall, cpu), one per round


def record(name, measurement, wall_cpu):
    results.setdefault((name, measurement), []).append(wall_cpu)
    print(f"raw: {round_no}, {name}, {measurement}, {wall_cpu[0]:.3f}, {wall_cpu[1]:.3f}, {os.getloadavg()[0]:.2f}",
          flush=True)


print(f"raw: round, size, measurement, wall s, cpu s, load1 ({ROUNDS} rounds)")
for round_no in range(1, ROUNDS + 1):
    for name, (width, height) in SIZES.items():
        commands = plans[name]
        out_dir = f"{work}/{name}"
        record(name, "process_start", measure([START]))
        for i, segment in enumerate(commands["segments"]):
            raw = f"{SHM}/segment.yuv"
            to_raw(segment[-1], raw)
            variants = segment_variants(segment, width, height, raw, f"{SHM}/floor.mp4")
            for measurement, command in variants.items():
                record(name, f"segment{i}_{measurement}", measure([command]))
            os.remove(raw)
        record(name, "segments_at_concurrency", measure(commands["segments"], CLIP_CONCURRENCY))
        for measurement, command in compile_variants(commands["compile"], out_dir).items():
            record(name, measurement, measure([command]))
        record(name, "thumbnail", measure([commands["thumbnail"]]))
        store = f"{out_dir}/store"
        os.makedirs(store, exist_ok=True)
        record(name, "storage_copy", stored([s[-1] for s in commands["segments"]]
                                            + [commands["compile"][-1], commands["thumbnail"][-1]], store))
        raw = f"{SHM}/project.yuv"
        to_raw(commands["compile"][-1], raw)
        record(name, "project_floor", measure([["ffmpeg", "-v", "error", "-y", "-nostdin",
                                                *honest_floor_args(raw, width, height, f"{SHM}/floor.mp4")]]))
        os.remove(raw)
shutil.rmtree(SHM, ignore_errors=True)


# ---- tables: per-round differences and sums, then their medians and ranges ----

def per_round(name, measurement, which):
    return [row[which] for row in results[(name, measurement)]]


def combined(name, plus, minus=(), segments=None, which=0):
    """Per round: sum of `plus` measurements minus sum of `minus`, over the given segments (or project-wide)."""
    def names(parts):
        if segments is None:
            return list(parts)
        return [f"segment{i}_{part}" for i in segments for part in parts if part != "process_start"]
    values = []
    for r in range(ROUNDS):
        value = sum(results[(name, m)][r][which] for m in names(plus))
        value -= sum(results[(name, m)][r][which] for m in names(minus))
        if segments is not None and "process_start" in minus:
            value -= len(segments) * results[(name, "process_start")][r][which]
        values.append(value)
    return values


def cell(values):
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


SEGMENT_PARTS = [
    ("FFmpeg process start and exit (an empty run)", ["process_start"], [], False),
    ("input decode (the PNGs, once each)", ["decode"], ["process_start"], True),
    ("fit: scale to the canvas, loop, setpts (no motion, no crossfade)", ["no_motion"], ["decode"], True),
    ("motion filter (perspective per frame)", ["no_crossfade"], ["no_motion"], True),
    ("crossfade (the next clip's chain for 1 s, xfade)", ["graph"], ["no_crossfade"], True),
    ("encode inside the render (render − graph to null)", ["render"], ["graph"], True),
    ("**whole segment render** (the service's command)", ["render"], [], True),
    ("**floor**: the segment's own frames from raw, same encoder options", ["floor"], [], True),
]


def part_rows(name, segments):
    rows = []
    for label, plus, minus, per_segment in SEGMENT_PARTS:
        if per_segment:
            wall = combined(name, plus, minus, segments, 0)
            cpu = combined(name, plus, minus, segments, 1)
        else:
            wall = [v * len(segments) for v in per_round(name, "process_start", 0)]
            cpu = [v * len(segments) for v in per_round(name, "process_start", 1)]
        rows.append((label, wall, cpu))
    return rows


for name in SIZES:
    print()
    print(f"### One clip (segment {ONE_CLIP}, \"{PROMPTS[ONE_CLIP]}\", {name}), run alone: s, median (range)")
    print()
    print("| part | wall | CPU (user+sys) |")
    print("|---|---|---|")
    for label, wall, cpu in part_rows(name, [ONE_CLIP]):
        print(f"| {label} | {cell(wall)} | {cell(cpu)} |")
    render = combined(name, ["render"], segments=[ONE_CLIP])
    floor = combined(name, ["floor"], segments=[ONE_CLIP])
    print(f"| render / floor (wall) | {cell([a / b for a, b in zip(render, floor)])} | |")

    print()
    print(f"### 6-clip project, {name}: s, median (range)")
    print()
    print("| part | wall | CPU (user+sys) |")
    print("|---|---|---|")
    for label, wall, cpu in part_rows(name, range(CLIPS)):
        print(f"| {label.replace('whole segment render', 'six segment renders')}, 6 segments one at a time "
              f"| {cell(wall)} | {cell(cpu)} |")
    for label, measurement in [("segments as the service runs them (3 at a time, 1 thread each)",
                                "segments_at_concurrency"),
                               ("compile (the service's command)", "compile"),
                               ("  its concat and mux alone (video copied, faststart, no audio)", "concat_mux"),
                               ("  its audio graph alone (music, ambient bed, mix, fade) to null", "audio_mix"),
                               ("  its audio graph and AAC, no video", "audio_aac"),
                               ("thumbnail", "thumbnail"),
                               ("storage: 6 segments, video and thumbnail copied and renamed (proxy)", "storage_copy"),
                               ("**floor**: the delivered video's frames from raw (default threads)", "project_floor")]:
        print(f"| {label} | {cell(per_round(name, measurement, 0))} | {cell(per_round(name, measurement, 1))} |")
    critical = combined(name, ["segments_at_concurrency", "compile", "thumbnail", "storage_copy"])
    critical_cpu = combined(name, ["segments_at_concurrency", "compile", "thumbnail"], which=1)
    print(f"| **critical path of FFmpeg and storage** (segments at 3, compile, thumbnail, storage) "
          f"| {cell(critical)} | {cell(critical_cpu)} |")
    project_floor = per_round(name, "project_floor", 0)
    print(f"| critical path / floor (wall) | {cell([a / b for a, b in zip(critical, project_floor)])} | |")
