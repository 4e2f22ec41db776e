#!/usr/bin/env bash
# The streaming soak benchmark (README "Hardening"): an hour of audio through the dequantize stream, as fast as it
# runs, reporting resident memory at the start and the end and per-frame latency p99 per 5 minutes of audio.
#   tools/soak.sh [--minutes 60] [--window 5] [--batch 1] [--backend auto|native|java] [--blas-threads 1]
# Builds the jar if it is missing; runs with the JVM options the device profiles recommend.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f runtime/target/pdq.jar ] || mvn -B -q -DskipTests package
exec java -Xmx32m -XX:+UseSerialGC -cp runtime/target/pdq.jar dev.pdq.bench.StreamSoak "$@"
