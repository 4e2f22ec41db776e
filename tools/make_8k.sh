#!/usr/bin/env bash
# 8 kHz copies of the shared corpora for training and evaluating the 8 kHz models, outside the project:
#   tools/make_8k.sh [SHARED [OUT]]   (default ../shared and ../data8k)
# makes OUT/ieee8k/{train,dev} and OUT/voices8k/{train,dev} with sox's default (high-quality) rate conversion.
set -euo pipefail
shared=${1:-../shared}
out=${2:-../data8k}
for c in ieee16k voices16k; do
  for s in train dev; do
    dir=$out/${c%16k}8k/$s
    mkdir -p "$dir"
    for f in "$shared"/corpus/$c/$s/*.wav; do sox "$f" -r 8000 "$dir/$(basename "$f")"; done
  done
done
