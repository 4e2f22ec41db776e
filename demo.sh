#!/usr/bin/env bash
# The main job, end to end: build pdq if needed, make a speech clip on the spot, send it through the sensor
# pipe (quantize to 4 bits | dequantize on the built-in model) and print the SNR before and after.
set -euo pipefail
cd "$(dirname "$0")"
launcher=runtime/target/bin/pdq # runs runtime/target/pdq.jar with the JVM options for a command-line tool
if [ ! -x "$launcher" ]; then
  echo "demo: building pdq (mvn -q -DskipTests package) ..." >&2
  mvn -B -q -DskipTests package >&2
fi
pdq() { "$launcher" "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1; then
  espeak-ng -s 150 -w "$work/voice.wav" "The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background."
  sox "$work/voice.wav" -r 16000 -b 16 -c 1 "$work/clean.wav" norm -1
  echo "demo: clip spoken by espeak-ng" >&2
else
  pdq synth --seconds 4 > "$work/clean.wav"
  echo "demo: speech-like clip from pdq synth (install espeak-ng and sox for a spoken one)" >&2
fi

# The node side and the receiving side, one pipe: 4-bit codes travel between them.
pdq quantize --bits 4 < "$work/clean.wav" | tee "$work/codes.pdqc" \
  | pdq dequantize --output-format wav --stats > "$work/dequantized.wav"
# The quantized signal itself, as PCM on the grid, for the "before" figure.
pdq quantize --bits 4 --output wav < "$work/clean.wav" > "$work/quantized.wav"

echo "demo: $(stat -c %s "$work/clean.wav") bytes of 16-bit WAV sent as $(stat -c %s "$work/codes.pdqc") bytes of 4-bit codes" >&2
echo "demo: SNR against the clean clip (before: quantized, after: dequantized):" >&2
pdq compare "$work/clean.wav" "$work/quantized.wav" "$work/dequantized.wav"
