#!/usr/bin/env bash
# Speed-perturbed copies of a training folder (Ko et al. 2015, as Kaldi does it), outside the project:
#   tools/make_speed.sh [IN [OUT]]   (default ../shared/corpus/voices16k/train and ../data-speed/voices16k-speed/train)
# OUT gets every file of IN three times: as it is (a symbolic link), and played 0.9 and 1.1 times as fast
# (sp0.9_NAME, sp1.1_NAME: tempo and pitch together, resampled to the input's rate by sox's `speed` effect without
# dither, -D, so two runs give the same bytes, and with -G so the resampling does not clip). One folder, so that
# --balance-corpora counts the three as one corpus.
set -euo pipefail
in=${1:-../shared/corpus/voices16k/train}
out=${2:-../data-speed/voices16k-speed/train}
mkdir -p "$out"
in_abs=$(cd "$in" && pwd)
for f in "$in_abs"/*.wav; do
  name=$(basename "$f")
  ln -sf "$f" "$out/$name"
  for s in 0.9 1.1; do
    sox -D -G "$f" "$out/sp${s}_$name" speed "$s"
  done
done
