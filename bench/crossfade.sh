#!/usr/bin/env bash
# Benchmark: a project segment's crossfade by xfade (before 2026-12-05) against the incoming clip fading in over the
# outgoing one with overlay (now), side by side on the service's own segment commands of the 6-clip project at 720p
# and 1080p, BENCH_ROUNDS interleaved rounds (default 3); wall, CPU and the SSIM of the two renders.
#   bench/crossfade.sh                                  (needs ffmpeg, java and python3; compiles the test classes)
#   BENCH_ROUNDS=1 BENCH_SIZES=720p bench/crossfade.sh  (a quick check of one size)
exec "$(dirname "$0")/with-classpath.sh" "$(dirname "$0")/crossfade.py"
