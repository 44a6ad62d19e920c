#!/usr/bin/env bash
# Start-up: cold starts of the packaged service on its embedded defaults (a fresh data dir each time), timed from
# launch to readiness UP on the management port, with the CPU the process spent until then and its RSS after
# 10 s idle. Variants run interleaved per round so a busy machine weighs on each alike; the medians per variant
# close the run.
#   bench/startup.sh [rounds] [variant ...]      (default 5 rounds; variants: jar, cds)
# A variant is [base-]MODE[:FLAG,FLAG...]:
#   MODE jar:   java -jar target/reelroute-*.jar
#   MODE cds:   the jar extracted (java -Djarmode=tools … extract) and started with a class data sharing archive
#               made by one training start to readiness, scripts/cds-archive.sh (what the Dockerfile and
#               docs/operations.md do)
#   MODE tuned: cds with the JVM flags docs/operations.md recommends (TUNED_FLAGS below)
#   MODE refresh: tuned, its archive from a training run that stops at the context's refresh
#               (-Dspring.context.exit=onRefresh: before Camel, Tomcat and the broker start), as until 2026-12-05
#   base-…:     the same with the jar BENCH_BASE_JAR points to (e.g. one built from main): before and after
#   :FLAGS:     JVM flags added to that start, comma-separated (cds:-XX:+UseSerialGC,-Xss512k)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
shift || true
VARIANTS=("$@")
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(jar cds)
TUNED_FLAGS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xms64m)
PORT=${BENCH_PORT:-18080}
MGMT=${BENCH_MANAGEMENT_PORT:-18081}
WORK=$(mktemp -d /tmp/reelroute-startup.XXXXXX)
APP_PID=""
trap '[ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

mvn -q -B -o package -DskipTests -Djacoco.skip=true >/dev/null 2>&1 \
  || mvn -q -B package -DskipTests -Djacoco.skip=true >/dev/null
mkdir -p "$WORK/new" "$WORK/base"
cp "$(ls target/reelroute-*.jar | grep -v original | head -1)" "$WORK/new/reelroute.jar"
if printf '%s\n' "${VARIANTS[@]}" | grep -q '^base-'; then
  cp "${BENCH_BASE_JAR:?set BENCH_BASE_JAR to the jar to compare with}" "$WORK/base/reelroute.jar"
fi

# extract the jar and make its class data sharing archive, once per jar
prepare_cds() {
  local dir=$1
  [ -f "$dir/app.jsa" ] && return
  java -Djarmode=tools -jar "$dir/reelroute.jar" extract --destination "$dir/extracted" >/dev/null
  PORT=$PORT REELROUTE_MANAGEMENT_PORT=$MGMT scripts/cds-archive.sh "$dir/extracted/reelroute.jar" "$dir/app.jsa"
}

# the earlier archive, for the refresh variants only: start, refresh the context, exit
prepare_refresh_cds() {
  local dir=$1
  [ -f "$dir/app-refresh.jsa" ] && return
  prepare_cds "$dir"
  REELROUTE_DATA_DIR="$dir/train-data" PORT=$PORT REELROUTE_MANAGEMENT_PORT=$MGMT \
    java -XX:ArchiveClassesAtExit="$dir/app-refresh.jsa" -Dspring.context.exit=onRefresh \
    -jar "$dir/extracted/reelroute.jar" > "$dir/train.log" 2>&1 || { tail -20 "$dir/train.log"; exit 1; }
}

# the java command line of a variant, one word a line
command_of() {
  local variant=$1 dir="$WORK/new" mode archive flags=()
  case "$variant" in base-*) dir="$WORK/base"; variant=${variant#base-} ;; esac
  mode=${variant%%:*}
  if [[ "$variant" == *:* ]]; then IFS=, read -r -a flags <<< "${variant#*:}"; fi
  echo java
  [ ${#flags[@]} -gt 0 ] && printf '%s\n' "${flags[@]}"
  case "$mode" in
    jar) echo -jar; echo "$dir/reelroute.jar" ;;
    cds|tuned|refresh)
      [ "$mode" != cds ] && printf '%s\n' "${TUNED_FLAGS[@]}"
      archive=app.jsa
      [ "$mode" = refresh ] && archive=app-refresh.jsa
      echo "-XX:SharedArchiveFile=$dir/$archive"; echo -jar; echo "$dir/extracted/reelroute.jar" ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
}

for variant in "${VARIANTS[@]}"; do
  command_of "$variant" >/dev/null
  case "$variant" in
    base-jar*) ;; base-refresh*) prepare_refresh_cds "$WORK/base" ;; base-*) prepare_cds "$WORK/base" ;;
    jar*) ;; refresh*) prepare_refresh_cds "$WORK/new" ;; *) prepare_cds "$WORK/new" ;;
  esac
done

clock_ticks=$(getconf CLK_TCK)
cpu_seconds() { # user + system time of a live process, from /proc
  awk -v hz="$clock_ticks" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

RESULTS="$WORK/results"
echo "round variant ready_s cpu_s idle_rss_mb threads load1" | tee "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for index in "${!VARIANTS[@]}"; do
    variant=${VARIANTS[$index]}
    mapfile -t cmd < <(command_of "$variant")
    log="$WORK/app-$index-$round.log"
    start=$(date +%s.%N)
    REELROUTE_DATA_DIR="$WORK/data-$index-$round" PORT=$PORT REELROUTE_MANAGEMENT_PORT=$MGMT "${cmd[@]}" > "$log" 2>&1 &
    APP_PID=$!
    until curl -sf "http://127.0.0.1:$MGMT/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; do
      kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$log"; exit 1; }
      sleep 0.05
    done
    ready=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
    cpu=$(cpu_seconds "$APP_PID")
    sleep 10 # idle: what the process holds when nothing is asked of it
    rss=$(( $(ps -o rss= -p "$APP_PID") / 1024 ))
    threads=$(ps -o nlwp= -p "$APP_PID" | tr -d ' ')
    echo "$round $variant $ready $cpu $rss $threads $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$RESULTS"
    kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
  done
done

echo
echo "median of $ROUNDS: variant ready_s cpu_s idle_rss_mb threads load1"
python3 - "$RESULTS" "${VARIANTS[@]}" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]).read().splitlines()[1:]]
for variant in sys.argv[2:]:
    mine = [row for row in rows if row[1] == variant]
    medians = [statistics.median(float(row[i]) for row in mine) for i in range(2, 7)]
    print(variant, *("%g" % round(m, 2) for m in medians))
EOF
