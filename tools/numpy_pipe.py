#!/usr/bin/env python3
"""NumPy reference pipe: the dequantizer a NumPy user would write, the peer that `pdq dequantize` is timed against.

Usage: tools/numpy_pipe.py [--batch B] [--iterations L] [--bits b] [--model K.npy] < in.s16le > out.s16le

s16le mono in, s16le out, same number of samples. The stream is cut into frames of n samples without overlap
(n = 320 for the DCT, the columns of K otherwise); B frames at a time run L Chambolle-Pock iterations for
min ||K y||_1 subject to |y - x| <= r, r = 2^-bits (the algorithm of ../shared/design.md, theta = 1):

    y = ybar = x, psi = 0
    psi = clip(psi + sigma K ybar, -1, 1)
    y_new = x + clip(y - tau K^T psi - x, -r, r);  ybar = y_new + (y_new - y);  y = y_new

with sigma = 10*0.99/||K||, tau = 0.1*0.99/||K||, ||K|| the spectral norm. K is the orthonormal DCT-II unless
--model gives a k x n .npy file. As in pdq (StreamDequantizer.mirror, S = 1), a last partial frame is filled by
mirroring the stream about its last sample and only the stream's own samples are written; output samples are
clamp(rint(32768 y), -32768, 32767) with ties to even, as pdq's s16le writer rounds. Each batch is written and
flushed as soon as it is solved. Frames are rows, so K ybar is ybar @ K.T for a whole batch: float32 throughout.
"""
import argparse
import sys

import numpy as np


def dct_matrix(n):
    """Orthonormal DCT-II, n x n: C[k, j] = s_k cos(pi (2j + 1) k / (2n)), s_0 = sqrt(1/n), s_k = sqrt(2/n)."""
    k = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    c = np.sqrt(2.0 / n) * np.cos(np.pi * (2 * j + 1) * k / (2 * n))
    c[0] /= np.sqrt(2.0)
    return c.astype(np.float32)


def solve(x, K, sigma, tau, r, iterations):
    """L iterations on a batch of frames x (B x n, float32); returns y (B x n)."""
    KT = K.T
    y = x.copy()
    ybar = x.copy()
    psi = np.zeros((x.shape[0], K.shape[0]), dtype=np.float32)
    for _ in range(iterations):
        psi = np.clip(psi + sigma * (ybar @ KT), -1, 1)
        y_new = x + np.clip(y - tau * (psi @ K) - x, -r, r)
        ybar = y_new + (y_new - y)
        y = y_new
    return y


def mirror(t, length):
    """Stream position whose sample stands at position t, the stream mirrored about its first and last sample."""
    if length == 1:
        return np.zeros_like(t)
    period = 2 * (length - 1)
    m = np.mod(t, period)
    return np.where(m < length, m, period - m)


def to_s16(y):
    return np.clip(np.rint(y * 32768), -32768, 32767).astype("<i2")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--batch", type=int, default=32, help="frames solved together (B, default 32)")
    ap.add_argument("--iterations", type=int, default=100, help="Chambolle-Pock iterations (L, default 100)")
    ap.add_argument("--bits", type=int, default=4, help="bits of the input's grid: r = 2^-bits (default 4)")
    ap.add_argument("--model", help="K as a k x n .npy file (default: the 320 x 320 orthonormal DCT-II)")
    a = ap.parse_args()
    if a.batch < 1 or a.iterations < 0 or not 1 <= a.bits <= 16:
        ap.error("need --batch >= 1, --iterations >= 0 and --bits in 1..16")

    K = dct_matrix(320) if a.model is None else np.load(a.model).astype(np.float32)
    if K.ndim != 2:
        ap.error(f"--model {a.model}: expected a k x n matrix, got shape {K.shape}")
    n = K.shape[1]
    norm = np.linalg.norm(K.astype(np.float64), 2)
    sigma = np.float32(10 * 0.99 / norm)
    tau = np.float32(0.1 * 0.99 / norm)
    r = np.float32(2.0 ** -a.bits)

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    chunk = a.batch * n * 2
    prev = np.zeros(0, dtype=np.float32)  # the last full frame before this chunk, for the mirror of a short tail
    read = 0
    while True:
        data = stdin.read(chunk)
        read += len(data)
        if len(data) % 2:
            data = data[:-1]
        x = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768
        full = len(x) // n * n
        if full < len(x):  # end of stream inside a frame: pad by mirroring about the last sample
            # the padding reaches back at most one frame before the partial one: into prev if x has no full frame
            known = np.concatenate([prev, x])
            start = len(prev) + full
            base = read // 2 - len(known)
            idx = mirror(np.arange(start + base, start + base + n), read // 2) - base
            x = np.concatenate([x[:full], known[idx]])
        if len(x):
            y = solve(x.reshape(-1, n), K, sigma, tau, r, a.iterations).reshape(-1)
            stdout.write(to_s16(y[:len(data) // 2]).tobytes())
            stdout.flush()
            prev = x[full - n:full] if full else prev
        if len(data) < chunk:
            break
    if read % 2:
        print(f"numpy_pipe: input ends inside a sample: odd byte count {read} (the last byte, at offset "
              f"{read - 1}, was dropped)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
