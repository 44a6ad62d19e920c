#!/usr/bin/env bash
# Start-up: cold starts of the packaged service on its embedded defaults (a fresh data dir each time), timed from
# launch to readiness UP on the management port, with the CPU the process spent until then and its RSS after
# 10 s idle. Variants run interleaved per round so a busy machine weighs on each alike.
#   bench/startup.sh [rounds] [variant ...]      (default 5 rounds; variants: jar, cds)
#   jar: java -jar target/reelroute-*.jar
#   cds: the jar extracted (java -Djarmode=tools … extract) and started with a class data sharing archive made by
#        one training run (what docs/operations.md describes for production)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
shift || true
VARIANTS=("$@")
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=(jar cds)
PORT=${BENCH_PORT:-18080}
MGMT=${BENCH_MANAGEMENT_PORT:-18081}
WORK=$(mktemp -d /tmp/reelroute-startup.XXXXXX)
APP_PID=""
trap '[ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null; rm -rf "$WORK"' EXIT

mvn -q -B -o package -DskipTests -Djacoco.skip=true 2>/dev/null || mvn -q -B package -DskipTests -Djacoco.skip=true
JAR=$(ls target/reelroute-*.jar | grep -v original | head -1)

if printf '%s\n' "${VARIANTS[@]}" | grep -qx cds; then
  java -Djarmode=tools -jar "$JAR" extract --destination "$WORK/extracted" >/dev/null
  EXTRACTED_JAR=$(ls "$WORK"/extracted/*.jar | head -1)
  # training run: start, refresh the context, exit, and write the archive of the classes it loaded
  REELROUTE_DATA_DIR="$WORK/train-data" PORT=$PORT REELROUTE_MANAGEMENT_PORT=$MGMT \
    java -XX:ArchiveClassesAtExit="$WORK/app.jsa" -Dspring.context.exit=onRefresh -jar "$EXTRACTED_JAR" \
    > "$WORK/train.log" 2>&1 || { tail -20 "$WORK/train.log"; exit 1; }
fi

launch() {
  local variant=$1 data=$2
  case "$variant" in
    jar) exec java -jar "$JAR" ;;
    cds) exec java -XX:SharedArchiveFile="$WORK/app.jsa" -jar "$EXTRACTED_JAR" ;;
  esac
}

clock_ticks=$(getconf CLK_TCK)
cpu_seconds() { # user + system time of a live process, from /proc
  awk -v hz="$clock_ticks" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

echo "round variant ready_s cpu_s idle_rss_mb load1"
for round in $(seq 1 "$ROUNDS"); do
  for variant in "${VARIANTS[@]}"; do
    data="$WORK/data-$variant-$round"
    start=$(date +%s.%N)
    (REELROUTE_DATA_DIR="$data" PORT=$PORT REELROUTE_MANAGEMENT_PORT=$MGMT launch "$variant" "$data") \
      > "$WORK/app-$variant-$round.log" 2>&1 &
    APP_PID=$!
    until curl -sf "http://127.0.0.1:$MGMT/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; do
      kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$WORK/app-$variant-$round.log"; exit 1; }
      sleep 0.05
    done
    ready=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
    cpu=$(cpu_seconds "$APP_PID")
    sleep 10 # idle: what the process holds when nothing is asked of it
    rss=$(( $(ps -o rss= -p "$APP_PID") / 1024 ))
    echo "$round $variant $ready $cpu $rss $(cut -d' ' -f1 /proc/loadavg)"
    kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
  done
done
