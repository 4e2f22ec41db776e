#!/usr/bin/env bash
# Fuzzes one target for a given time with Jazzer (JUnit 5 integration, fuzzing mode) and reports the executions.
#
#   tools/fuzz.sh TARGET SECONDS        e.g. tools/fuzz.sh wav 600
#   tools/fuzz.sh list                  the targets
#
# It runs the target's @FuzzTest through Maven with JAZZER_FUZZ=1 and libFuzzer's -max_total_time=SECONDS. The
# corpus grows in MODULE/.cifuzz-corpus/CLASS/METHOD (not committed; the next run starts from it); an input that
# fails the target is written to MODULE/src/test/resources/PACKAGE/CLASSInputs/METHOD/crash-*, where plain
# `mvn verify` replays it from then on (commit it with the fix). The whole output goes to a log under
# MODULE/target/fuzz/; the last line printed is "fuzz: TARGET: N executions in S s ...", N from libFuzzer's
# final statistics (stat::number_of_executed_units). PDQ_FUZZ_MVN_FLAGS adds Maven flags (e.g. -o offline).
set -euo pipefail
cd "$(dirname "$0")/.."

targets() {
  cat <<'LIST'
wav        runtime        dev.pdq.audio.WavFuzzTest#wav                    WAV reader (header and samples)
ima        runtime        dev.pdq.adpcm.ImaWavFuzzTest#ima                 IMA ADPCM WAV reader (values and cells)
raw        runtime        dev.pdq.io.RawPcmFuzzTest#raw                    raw s16le/f32le readers, any length
codes      runtime        dev.pdq.codes.CodeStreamFuzzTest#codes           code-stream decoder (v1, v2), bytes as given
codes-crc  runtime        dev.pdq.codes.CodeStreamFuzzTest#codesWithValidCrcs  code-stream decoder (v1, v2), CRCs made valid
model      runtime        dev.pdq.operator.ModelFileFuzzTest#model         operator-file reader, bytes as given
model-crc  runtime        dev.pdq.operator.ModelFileFuzzTest#modelWithValidCrc operator-file reader, CRC made valid
stream     runtime        dev.pdq.stream.StreamFuzzTest#framing            streaming framing: every sample out once, in order
cli        runtime        dev.pdq.cli.CommandLineFuzzTest#parse            pdq command-line parser (parse only)
profile    device-config  dev.pdq.device.ProfileFuzzTest#profile           device-profile loader
cpuinfo    device-config  dev.pdq.device.ProfileFuzzTest#cpuinfo           /proc/cpuinfo reader of detection
LIST
}

if [ $# -eq 1 ] && [ "$1" = list ]; then targets; exit 0; fi
if [ $# -ne 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: tools/fuzz.sh TARGET SECONDS   (tools/fuzz.sh list: the targets)" >&2
  exit 2
fi
target=$1
seconds=$2
line=$(targets | awk -v t="$target" '$1 == t')
if [ -z "$line" ]; then
  echo "fuzz: unknown target '$target'; one of: $(targets | awk '{print $1}' | tr '\n' ' ')" >&2
  exit 2
fi
module=$(awk '{print $2}' <<<"$line")
test=$(awk '{print $3}' <<<"$line")
mkdir -p "$module/target/fuzz"
log="$module/target/fuzz/$target-$(date +%Y%m%d-%H%M%S).log"
echo "fuzz: $target ($test) for $seconds s; log: $log" >&2

# JUnit's own @Timeout would bound the whole fuzzing run: it is turned off, and Jazzer passes the same value to
# libFuzzer as the per-input -timeout instead. jazzer.internal.arg.N are libFuzzer's arguments (after argv[0]);
# given last, they override the annotation's maxDuration.
status=0
JAZZER_FUZZ=1 mvn -B ${PDQ_FUZZ_MVN_FLAGS:-} -pl "$module" -am test -Dtest="$test" \
  -Dsurefire.failIfNoSpecifiedTests=false -Djunit.jupiter.execution.timeout.mode=disabled \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
  -Djazzer.internal.arg.2=-print_final_stats=1 >"$log" 2>&1 || status=$?

execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
if [ -z "$execs" ]; then # no final statistics (a finding stops libFuzzer early): its last status line
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
fi
took=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | grep -oE 'in [0-9]+' | grep -oE '[0-9]+' || true)
rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
crashes=$(grep -E 'crash-[0-9a-f]+' -o "$log" | sort -u | tr '\n' ' ' || true)
if [ $status -ne 0 ]; then
  grep -E 'FuzzTestFindingException|Caused by|ERROR\]' "$log" | head -20 >&2 || true
fi
echo "fuzz: $target: ${execs:-unknown} executions in ${took:-?} s (${rate:-?}/s), exit $status${crashes:+, findings: $crashes}; log: $log"
exit $status
