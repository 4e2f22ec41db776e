#!/usr/bin/env python3
"""The node engineer's table: every scheme through the real pipe, at fixed peak levels.

For each corpus folder and each peak level, every file is scaled to that peak (sox norm, 16-bit, the level the node
records at), then sent through:

  uniform          pdq quantize --bits B                   | pdq dequantize --model none   (the plain decoding)
  uniform + pdq    pdq quantize --bits B                   | pdq dequantize                (built-in model)
  BFP              pdq quantize --scheme bfp --bits B      | pdq dequantize --model none
  BFP + pdq        pdq quantize --scheme bfp --bits B      | pdq dequantize
  IMA ADPCM (sox)  sox -D in.wav -e ima-adpcm a.wav        ; sox a.wav -e signed (sox's decoder)
  IMA ADPCM + pdq  sox -D in.wav -e ima-adpcm a.wav        ; pdq dequantize --adpcm-encoder sox (--adpcm-encoder)
                   (--sox-dither: sox without -D, as a user types it, whose default dither is random run to run)

and scored by the per-file mean SNR against the scaled clean file (and the bits a sample on the wire: every byte of
every coded file, headers included, over the samples). pdq runs once per (scheme, level) over all files with
--output-dir. Extra pdq dequantize options (e.g. --model FILE -L 25 --shifts 4) go after --pdq-args.

Usage: tools/scheme_table.py [--pdq runtime/target/bin/pdq] [--bits 4] [--levels 0,-10,-20,-30]
                             [--schemes uniform,bfp,ima-adpcm] [--adpcm-encoder NAME] [--sox-dither] [--work DIR]
                             [--pdq-args ...] DIR...
Prints a Markdown table on stdout; progress on stderr.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np


def read_wav(path):
    with wave.open(path, 'rb') as w:
        n = w.getnframes()
        data = w.readframes(n)
        ch = w.getnchannels()
    x = np.frombuffer(data, dtype='<i2').astype(np.float64) / 32768.0
    return x.reshape(-1, ch)[:, 0] if ch > 1 else x


def snr_db(clean, y):
    m = min(len(clean), len(y))
    if len(y) < len(clean):
        raise ValueError(f"output has {len(y)} samples, the clean file {len(clean)}")
    err = np.sum((clean[:m] - y[:m]) ** 2)
    sig = np.sum(clean[:m] ** 2)
    return 10 * np.log10(sig / err) if err > 0 else float('inf')


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode(errors='replace')[-2000:])
        raise SystemExit(f"failed ({r.returncode}): {' '.join(cmd)}")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--pdq', default=None, help='the pdq command (default: runtime/target/bin/pdq)')
    ap.add_argument('--bits', type=int, default=4)
    ap.add_argument('--levels', default='0,-10,-20,-30')
    ap.add_argument('--schemes', default='uniform,bfp,ima-adpcm')
    ap.add_argument('--adpcm-encoder', default='sox',
                    help="pdq dequantize's --adpcm-encoder for the sox -D files (default: sox, their tightest cells)")
    ap.add_argument('--sox-dither', action='store_true',
                    help='encode IMA ADPCM as a user types it, with sox\'s default dither (no -D)')
    ap.add_argument('--work', default=None, help='scratch folder (default: a temporary one, removed)')
    ap.add_argument('--pdq-args', nargs=argparse.REMAINDER, default=[],
                    help='more options for pdq dequantize (the pdq rows)')
    ap.add_argument('dirs', nargs='+')
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pdq = (a.pdq or os.path.join(root, 'runtime', 'target', 'bin', 'pdq')).split()
    levels = [float(v) for v in a.levels.split(',')]
    schemes = a.schemes.split(',')
    work = a.work or tempfile.mkdtemp(prefix='scheme-table-')
    files = []
    for d in a.dirs:
        files += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith('.wav')]
    results = {}  # (row, level) -> (mean snr, bits a sample)
    try:
        for lv in levels:
            lvname = f"{lv:g}"
            clean_dir = os.path.join(work, f"clean{lvname}")
            os.makedirs(clean_dir, exist_ok=True)
            clean = {}
            for f in files:
                out = os.path.join(clean_dir, os.path.basename(f))
                run(['sox', f, '-b', '16', out, 'norm', f"{lv}"])
                clean[os.path.basename(f)] = read_wav(out)
            samples = sum(len(v) for v in clean.values())
            cleans = [os.path.join(clean_dir, f) for f in sorted(clean)]

            def score(row, out_dir, coded_bytes, suffix='.wav'):
                snrs = []
                for name, c in sorted(clean.items()):
                    y = read_wav(os.path.join(out_dir, os.path.splitext(name)[0] + suffix))
                    snrs.append(snr_db(c, y))
                results[(row, lvname)] = (float(np.mean(snrs)), 8.0 * coded_bytes / samples)
                sys.stderr.write(f"scheme_table: {lvname} dBFS {row}: {np.mean(snrs):.3f} dB,"
                                 f" {8.0 * coded_bytes / samples:.3f} bits a sample\n")

            for scheme in schemes:
                if scheme == 'ima-adpcm':
                    adpcm_dir = os.path.join(work, f"adpcm{lvname}")
                    sox_dir = os.path.join(work, f"adpcm-sox{lvname}")
                    os.makedirs(adpcm_dir, exist_ok=True)
                    os.makedirs(sox_dir, exist_ok=True)
                    coded = 0
                    for name, c in sorted(clean.items()):
                        src = os.path.join(clean_dir, name)
                        enc = os.path.join(adpcm_dir, name)
                        run(['sox'] + ([] if a.sox_dither else ['-D']) + [src, '-e', 'ima-adpcm', enc])
                        coded += os.path.getsize(enc)
                        dec = os.path.join(sox_dir, name)
                        run(['sox', enc, '-e', 'signed', '-b', '16', dec, 'trim', '0', f"{len(c)}s"])
                    score('IMA ADPCM (sox)', sox_dir, coded)
                    out = os.path.join(work, f"adpcm-pdq{lvname}")
                    run(pdq + ['dequantize', '--adpcm-encoder', a.adpcm_encoder, '--output-dir', out] + a.pdq_args
                        + [os.path.join(adpcm_dir, n) for n in sorted(clean)])
                    score('IMA ADPCM + pdq', out, coded)
                    continue
                code_dir = os.path.join(work, f"{scheme}{lvname}")
                run(pdq + ['quantize', '--scheme', scheme, '--bits', str(a.bits), '--output-dir', code_dir] + cleans)
                coded = sum(os.path.getsize(os.path.join(code_dir, f)) for f in os.listdir(code_dir))
                label = 'uniform' if scheme == 'uniform' else 'BFP'
                codes = [os.path.join(code_dir, f) for f in sorted(os.listdir(code_dir))]
                plain = os.path.join(work, f"{scheme}-plain{lvname}")
                run(pdq + ['dequantize', '--model', 'none', '--output-dir', plain] + codes)
                score(label, plain, coded)
                out = os.path.join(work, f"{scheme}-pdq{lvname}")
                run(pdq + ['dequantize', '--output-dir', out] + a.pdq_args + codes)
                score(label + ' + pdq', out, coded)
        rows = []
        for r, _ in results:
            if r not in rows:
                rows.append(r)
        names = [f"{lv:g}" for lv in levels]
        print(f"| scheme ({a.bits} bits) | bits a sample on the wire | "
              + " | ".join(f"{n} dBFS" for n in names) + " |")
        print("| --- | --- | " + " | ".join("---" for _ in names) + " |")
        for r in rows:
            bits = results[(r, names[0])][1]
            print(f"| {r} | {bits:.3f} | " + " | ".join(f"{results[(r, n)][0]:.2f} dB" for n in names) + " |")
    finally:
        if a.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
