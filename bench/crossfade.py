"""Drives bench/crossfade.sh: the crossfade of a project segment by xfade (how segments were made until 2026-12-05)
against the incoming clip fading in over the outgoing one with overlay (how they are made now), side by side: the
same segment commands of the 6-clip project, only the crossfade differing; interleaved rounds, wall and CPU of each,
and the SSIM of the two renders."""
import os
import re
import statistics
import subprocess
import sys

from bench_common import measure, printed_commands, project_inputs

work, classpath = sys.argv[1], sys.argv[2]
CLIPS = 6
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}
SIZES = {name: SIZES[name] for name in os.environ.get("BENCH_SIZES", "720p,1080p").split(",")}
OVERLAY_TAIL = re.compile(r",format=yuva420p,fade=t=in:s=0:n=(\d+):alpha=1,setpts=PTS\+(\d+)/(\d+)/TB\[b\];"
                          r"\[a\]\[b\]overlay=format=yuv420:eof_action=pass\[video\]$")


def as_xfade(command):
    """The segment command with xfade in place of the overlay, as ProjectCommands wrote it before."""
    graph_at = command.index("-filter_complex") + 1
    match = OVERLAY_TAIL.search(command[graph_at])
    assert match, command[graph_at]
    frames, offset, fps = (int(g) for g in match.groups())
    xfade = f"[b];[a][b]xfade=transition=fade:duration={frames / fps:.6f}:offset={offset / fps:.6f}[video]"
    changed = list(command)
    changed[graph_at] = command[graph_at][:match.start()] + xfade
    changed[-1] = command[-1].replace(".mp4", "-xfade.mp4")
    return changed


def ssim(first, second):
    done = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-i", first, "-i", second, "-lavfi", "ssim",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)
    return re.findall(r"All:([0-9.]+)", done.stderr)[-1]


images, music = project_inputs(work)
for name, (width, height) in SIZES.items():
    commands = printed_commands(work, classpath, images, music, CLIPS, name, width, height)["segments"]
    with_crossfade = [c for c in commands if "overlay=" in c[c.index("-filter_complex") + 1]]
    pairs = [(c, as_xfade(c)) for c in with_crossfade]
    figures = {"overlay": [], "xfade": []}
    for round_ in range(ROUNDS):
        load = os.getloadavg()[0]
        for kind in (["overlay", "xfade"] if round_ % 2 == 0 else ["xfade", "overlay"]):
            wall, cpu = measure([pair[0 if kind == "overlay" else 1] for pair in pairs])
            figures[kind].append((wall, cpu))
            print(f"{name} round {round_ + 1} {kind}: {len(pairs)} segments one at a time, "
                  f"wall {wall:.2f} s, CPU {cpu:.2f} s (load {load:.2f})", flush=True)
    for kind, runs in figures.items():
        print(f"{name} {kind}: median wall {statistics.median(w for w, _ in runs):.2f} s, "
              f"CPU {statistics.median(c for _, c in runs):.2f} s ({', '.join(f'{c:.2f}' for _, c in runs)})")
    saved = [x[1] - o[1] for o, x in zip(figures["overlay"], figures["xfade"])]
    print(f"{name}: overlay saves {statistics.median(saved):.2f} CPU-s over {len(pairs)} crossfades "
          f"({min(saved):.2f}-{max(saved):.2f})")
    print(f"{name}: SSIM of each segment, overlay against xfade: "
          + ", ".join(ssim(o[-1], x[-1]) for o, x in pairs))
