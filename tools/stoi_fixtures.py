#!/usr/bin/env python3
"""Writes the STOI test fixtures: pystoi's values for deterministic speech-like signals.

Usage: tools/stoi_fixtures.py PYSTOI_SRC [OUT_CSV]
  PYSTOI_SRC: a folder holding pystoi's source (the folder with pystoi/stoi.py), e.g. a checkout of
              github.com/mpariente/pystoi (v0.4.1 was used); it runs with NumPy and SciPy.
  OUT_CSV:    default runtime/src/test/resources/dev/pdq/quality/stoi-fixtures.csv

The signals are not stored: StoiFixtures (runtime/src/test/java/dev/pdq/quality) regenerates them bit for bit.
The generator therefore uses only operations that IEEE 754 rounds the same in Python and Java (+ - * /, sqrt,
floor, comparisons, a 64-bit LCG, and a cosine by a fixed Taylor loop instead of the C library's), evaluates every
expression in the same order, and rounds the result to float32 as Java's float[] does. Each row carries the
double sum of the clean and of the processed float32 samples, so the Java test first checks that it regenerated
the same signals.

A signal (2.1 s at each rate): five vowel-like syllables (an impulse train whose pitch glides, through three
formant resonators with the formants of a, i, u, e, o), a high-passed noise burst (a fricative) between the first
two, pauses in between, and a noise floor 70 dB below the peak, so that pystoi's silent-frame removal drops the
pauses. Variants of the clean signal: itself, white noise at two levels, 4-bit mid-rise quantization, and a
moving average over about 1 ms (a low-pass whose first null is at 1 kHz).
"""
import csv, math, sys
from pathlib import Path

import numpy as np

RATES = [8000, 10000, 16000, 44100, 48000]
SECONDS = 2.1
# (start s, end s, f0 at start Hz, f0 at end Hz, formants Hz)
SYLLABLES = [(0.10, 0.40, 120.0, 100.0, (730.0, 1090.0, 2440.0)),
             (0.50, 0.75, 140.0, 125.0, (270.0, 2290.0, 3010.0)),
             (0.85, 1.25, 110.0, 95.0, (300.0, 870.0, 2240.0)),
             (1.35, 1.60, 130.0, 150.0, (530.0, 1840.0, 2480.0)),
             (1.70, 1.95, 115.0, 100.0, (570.0, 840.0, 2410.0))]
FRICATIVE = (0.40, 0.48)
BANDWIDTH_HZ = 100.0
RAMP_S = 0.02
VARIANTS = ["clean", "noise-0.02", "noise-0.1", "quant4", "average-1ms"]
MASK = (1 << 64) - 1


class Lcg:
    """Knuth's MMIX LCG; next() is (state >> 11) * 2^-53, uniform in [0, 1)."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & MASK
        return (self.state >> 11) * 2.0 ** -53


def cos_series(x):
    term = 1.0
    total = 1.0
    for k in range(1, 31):
        term = term * (-x * x / ((2 * k - 1) * (2 * k)))
        total = total + term
    return total


def clean_signal(fs):
    n_total = int(SECONDS * fs)
    ramp = RAMP_S * fs
    r = 1.0 - math.pi * BANDWIDTH_HZ / fs
    exc = [0.0] * n_total
    coef = [None] * n_total
    phase = 0.0
    for (t0, t1, f0a, f0b, formants) in SYLLABLES:
        a, b = int(t0 * fs), int(t1 * fs)
        c = [(2.0 * r * cos_series(2.0 * math.pi * f / fs), r * r) for f in formants]
        for n in range(a, b):
            frac = (n - a) / (b - a)
            f0 = f0a + (f0b - f0a) * frac
            phase = phase + f0 / fs
            e = 0.0
            if phase >= 1.0:
                phase = phase - 1.0
                e = 1.0
            env = min(1.0, (n - a) / ramp, (b - 1 - n) / ramp)
            exc[n] = e * env
            coef[n] = c
    vowel = [0.0] * n_total
    state = [[0.0, 0.0] for _ in range(3)]
    current = None
    for n in range(n_total):
        if coef[n] is not None:
            current = coef[n]
        x = exc[n]
        if current is not None:
            for k in range(3):
                a1, a2 = current[k]
                y1, y2 = state[k]
                y = x + a1 * y1 - a2 * y2
                state[k][0], state[k][1] = y, y1
                x = y
        vowel[n] = x
    peak = 0.0
    for v in vowel:
        peak = max(peak, abs(v))
    rng = Lcg(1)
    fa, fb = int(FRICATIVE[0] * fs), int(FRICATIVE[1] * fs)
    prev = 0.0
    out = [0.0] * n_total
    for n in range(n_total):
        fric = 0.0
        if fa <= n < fb:
            w = rng.next() - 0.5
            env = min(1.0, (n - fa) / ramp, (fb - 1 - n) / ramp)
            fric = (w - prev) * env
            prev = w
        floor = rng.next() - 0.5
        out[n] = vowel[n] / peak * 0.8 + 0.1 * fric + 0.0001 * floor
    return np.array(out, dtype=np.float32)


def variant(clean, name, fs):
    x = clean.astype(np.float64).tolist()
    if name == "clean":
        y = x
    elif name.startswith("noise-"):
        sigma = float(name[len("noise-"):])
        rng = Lcg(2 if sigma == 0.02 else 3)
        y = []
        for v in x:
            u = rng.next() + rng.next() + rng.next() + rng.next() - 2.0
            y.append(v + sigma * u)
    elif name == "quant4":
        y = []
        for v in x:
            c = min(15, max(0, math.floor((v + 1.0) * 8.0)))
            y.append((c + 0.5) / 8.0 - 1.0)
    elif name == "average-1ms":
        m = fs // 1000
        y = []
        for n in range(len(x)):
            s = 0.0
            for j in range(n - m + 1, n + 1):
                if j >= 0:
                    s = s + x[j]
            y.append(s / m)
    else:
        raise ValueError(name)
    return np.array(y, dtype=np.float32)


def checksum(x):
    s = 0.0
    for v in x.astype(np.float64).tolist():
        s = s + v
    return s


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    from pystoi import stoi
    out = Path(sys.argv[2] if len(sys.argv) == 3 else
               "runtime/src/test/resources/dev/pdq/quality/stoi-fixtures.csv")
    rows = []
    for fs in RATES:
        clean = clean_signal(fs)
        for name in VARIANTS:
            y = variant(clean, name, fs)
            d = stoi(clean.astype(np.float64), y.astype(np.float64), fs)
            rows.append([fs, name, len(clean), repr(checksum(clean)), repr(checksum(y)), repr(float(d))])
            print(f"{fs:6d} Hz {name:12s} STOI {d:.6f}", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as f:
        f.write("# pystoi v0.4.1 on the signals of tools/stoi_fixtures.py (regenerated by StoiFixtures)\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["rate", "variant", "samples", "clean_sum", "signal_sum", "pystoi"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
