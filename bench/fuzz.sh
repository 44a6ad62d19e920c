#!/usr/bin/env bash
# Fuzzes every parser of untrusted input with Jazzer, one target after the other (never in parallel: each run takes a
# core), each for DURATION seconds (default 600 = 10 minutes). Findings land as crash-* files in the target's
# src/test/resources/.../<Test>Inputs/<method>/ directory, where the normal test run replays them; the grown corpus
# is in .cifuzz-corpus/. Per-target logs and a summary (executions, cov, ft, exec/s) go to target/fuzz/.
#   bench/fuzz.sh [DURATION_SECONDS] [TestClass ...]
set -uo pipefail
cd "$(dirname "$0")/.."
duration="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(MediaSnifferFuzzTest ImageHeaderReaderFuzzTest MediaCompletenessFuzzTest MotionPromptParserFuzzTest
           FfmpegInputSummaryFuzzTest JsonBodiesFuzzTest MultipartFiltersFuzzTest StyleConfigFuzzTest
           StyleJsonFuzzTest WebhookUrlGuardFuzzTest JwtVerifierFuzzTest RequestFingerprintFuzzTest)
fi
mkdir -p target/fuzz
summary=target/fuzz/summary.txt
echo "duration ${duration}s per target, $(date -u +%FT%TZ)" > "$summary"
status=0
for target in "${targets[@]}"; do
  log="target/fuzz/${target}.log"
  # -max_total_time overrides the annotation's 10m; -timeout makes an input that runs 10 s a finding (a hang);
  # -rss_limit_mb makes a memory blow-up one (jazzer-junit turns libFuzzer's limit off by default)
  JAZZER_FUZZ=1 mvn -B -o test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -DargLine=-Xmx1g \
      -Djazzer.internal.arg.0=fuzz \
      -Djazzer.internal.arg.1=-max_total_time="$duration" \
      -Djazzer.internal.arg.2=-timeout=10 \
      -Djazzer.internal.arg.3=-rss_limit_mb=2560 > "$log" 2>&1
  rc=$?
  last=$(grep -aE '^#[0-9]+.*cov:' "$log" | tail -1)
  execs=$(echo "$last" | sed -E 's/^#([0-9]+).*/\1/')
  cov=$(echo "$last" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
  ft=$(echo "$last" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
  rate=$(echo "$last" | sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p')
  finding=$(grep -aE 'FuzzTestFindingException|== Java Exception|Tests run:.*Failures: [1-9]|Errors: [1-9]' "$log" | head -1)
  line="$target execs=${execs:-?} cov=${cov:-?} ft=${ft:-?} exec/s=${rate:-?} exit=$rc ${finding:+FINDING: $finding}"
  echo "$line" | tee -a "$summary"
  [ $rc -ne 0 ] && status=1
done
exit $status
