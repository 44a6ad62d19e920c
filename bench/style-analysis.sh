#!/usr/bin/env bash
# Benchmark: the style analysis of a 60 s 1080p30 H.264 + AAC video against one bare decode of the same file
# (`ffmpeg -i f -f null -`), side by side in the same run, interleaved. Reports wall and CPU (user + sys) medians and
# the ratio analysis / decode (target <= 1.5), then the StyleJSON of the last analysis.
#
#   bench/style-analysis.sh [runs]     (default 5 runs of each; needs ffmpeg and python3; compiles the test classes)
#   REELROUTE_FFMPEG_PATH=/path/to/ffmpeg bench/style-analysis.sh     (another ffmpeg build, e.g. the bundled 8.0)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
WORK=$(mktemp -d /tmp/reelroute-style-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

mvn -q -B -o test-compile 2>/dev/null || mvn -q -B test-compile
mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null 2>&1 \
  || mvn -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="target/classes:target/test-classes:$(cat "$WORK/cp.txt")"

mkdir -p "$WORK/analysis"
VIDEO="$WORK/template.mp4"
FFMPEG=${REELROUTE_FFMPEG_PATH:-ffmpeg}
# The template: moving test pattern, 1920x1080, 30 fps, 60 s, a tone; encoded like a typical upload.
"$FFMPEG" -nostdin -v error -y -f lavfi -i "testsrc2=s=1920x1080:rate=30:duration=60" \
  -f lavfi -i "sine=frequency=440:duration=60" -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p \
  -c:a aac -ac 2 "$VIDEO"
mapfile -t analysis < <(java -cp "$CP" dev.reelroute.bench.StyleAnalysisCommand "$VIDEO" "$WORK/analysis" command)
decode=("${analysis[0]}" -nostdin -v error -i "$VIDEO" -f null -)
echo "ffmpeg: ${analysis[0]} ($("${analysis[0]}" -version | head -1))"
echo "analysis command: ${analysis[*]}"

TIMEFORMAT='%R %U %S'
timed() { { time "$@" >/dev/null 2>&1; } 2>&1; }
: > "$WORK/decode.txt"; : > "$WORK/analysis.txt"
timed "${decode[@]}" >/dev/null   # warm-up: file in the page cache
for _ in $(seq 1 "$RUNS"); do
  timed "${decode[@]}" >> "$WORK/decode.txt"
  timed "${analysis[@]}" >> "$WORK/analysis.txt"
done

python3 - "$WORK/decode.txt" "$WORK/analysis.txt" <<'PY'
import statistics, sys
def load(path):
    rows = [list(map(float, line.split())) for line in open(path) if line.strip()]
    return [r[0] for r in rows], [r[1] + r[2] for r in rows]
dw, dc = load(sys.argv[1])
aw, ac = load(sys.argv[2])
fmt = lambda xs: ", ".join(f"{x:.2f}" for x in xs)
print(f"runs: {len(dw)} of each, interleaved (decode, then analysis)")
print(f"bare decode  wall median {statistics.median(dw):.2f} s  all: {fmt(dw)}   cpu median {statistics.median(dc):.2f} s")
print(f"analysis     wall median {statistics.median(aw):.2f} s  all: {fmt(aw)}   cpu median {statistics.median(ac):.2f} s")
print(f"ratio analysis / decode: wall {statistics.median(aw) / statistics.median(dw):.2f}, "
      f"cpu {statistics.median(ac) / statistics.median(dc):.2f}  (target <= 1.5)")
PY
java -cp "$CP" dev.reelroute.bench.StyleAnalysisCommand "$VIDEO" "$WORK/analysis" read
