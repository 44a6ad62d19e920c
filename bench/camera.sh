#!/usr/bin/env bash
# The camera alone (media.CameraWarp), before and after: bench/CameraBench.java on each build's classes in turn, on
# one core (taskset), ROUNDS runs each alternated, the order reversed every run; prints each run's ms a frame and
# the medians. A build is a checkout whose target/classes is compiled (mvn -q -B -o compile).
#
#   git worktree add ../before <rev> && (cd ../before && mvn -q -B -o compile) && mvn -q -B -o compile
#   SIZE=1920x1080 ROUNDS=5 bench/camera.sh before=../before after=.
set -euo pipefail
SIZE=${SIZE:-1920x1080}; ROUNDS=${ROUNDS:-5}; BENCH="$(cd "$(dirname "$0")" && pwd)/CameraBench.java"
width=${SIZE%x*}; height=${SIZE#*x}
names=(); declare -A results
for spec in "$@"; do names+=("${spec%%=*}"); done
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), size $SIZE, one core"
for run in $(seq 1 "$ROUNDS"); do
  order=("$@"); if (( run % 2 == 0 )); then order=($(printf '%s\n' "$@" | tac)); fi
  for spec in "${order[@]}"; do
    name=${spec%%=*}; checkout=${spec#*=}
    ms=$(taskset -c 1 java -cp "$checkout/target/classes" "$BENCH" "$width" "$height" 7 | cut -d' ' -f1)
    echo "run $run $name $ms ms a frame"
    results[$name]+="$ms "
  done
done
for name in "${names[@]}"; do
  echo "$name: median $(printf '%s\n' ${results[$name]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms a frame"
done
