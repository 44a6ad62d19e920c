#!/usr/bin/env bash
# Benchmark: where a video project's time goes (issue 21). For a 6-clip project (5 s clips from 1600x900 images, as
# bench/projects.py makes them; 1 s transitions, music at 0.5, the ambient bed) at 720p and 1080p, runs the service's
# own FFmpeg commands (printed by ProjectCommandsPrinter from its command builders) and variants of them that leave
# parts out: each image decoded only, the graph without motion and crossfade, without the crossfade, the whole graph
# to -f null, the render itself, and the floor (the segment's own frames from raw in /dev/shm, same encoder options);
# the segments 3 at a time as the service runs them, the compile, its concat and mux alone, its audio alone (to null,
# and with AAC), the thumbnail, a copy of what storage writes, and the project's floor (bench/projects.py's).
# BENCH_ROUNDS interleaved rounds (default 3); wall and CPU (user + sys) medians and ranges, the load at each.
# What is not FFmpeg (orchestration, the database, uploads) is a project's wall (bench/projects.sh) minus the
# critical path printed here.
#
#   bench/breakdown.sh                                  (needs ffmpeg, java and python3; compiles the test classes)
#   BENCH_ROUNDS=1 BENCH_SIZES=720p bench/breakdown.sh  (a quick check of one size)
exec "$(dirname "$0")/with-classpath.sh" "$(dirname "$0")/breakdown.py"
