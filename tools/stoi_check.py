#!/usr/bin/env python3
"""Java STOI (dev.pdq.quality.Stoi) against pystoi on real speech: prints both and their differences.

Usage: tools/stoi_check.py PYSTOI_SRC [--jar runtime/target/pdq.jar] [--per-corpus 12] [--bits 4] CORPUS_DIR...
  e.g. tools/stoi_check.py /tmp/pystoi ../shared/corpus/voices16k/dev ../shared/corpus/ieee16k/dev
  PYSTOI_SRC: the folder holding pystoi/stoi.py (github.com/mpariente/pystoi, e.g. fetched and unpacked).

For the first --per-corpus WAV files (sorted by name) of each folder: the file peak-normalized to 1 (as the paper
and `pdq-train eval` do; written as 32-bit float WAV), its --bits quantization (`pdq quantize --output wav`) and
its dequantization (`pdq quantize | pdq dequantize --output-format wav-f32`, the built-in model's defaults).
STOI of each against the clean file by pystoi (float64) and by the Java class (through a small main compiled
against the jar, printing every digit), on the same samples; then the mean per corpus and signal, and the largest
difference. Progress goes to stderr, the table to stdout.
"""
import argparse, subprocess, sys, tempfile, textwrap
from pathlib import Path

import numpy as np
from scipy.io import wavfile

JAVA_MAIN = textwrap.dedent("""
    import dev.pdq.audio.PcmReader;
    import dev.pdq.audio.SampleReader;
    import dev.pdq.quality.Stoi;
    import java.io.*;
    import java.nio.file.*;
    import java.util.*;

    /** Pairs of WAV paths on stdin (clean TAB processed); prints STOI with every digit and its time in ms. */
    public class StoiMain {
        static float[] read(String path, int[] rate) throws IOException {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(Path.of(path)));
                 SampleReader r = PcmReader.wav(in)) {
                float[] all = new float[1 << 16];
                int len = 0;
                for (int got; ; len += got) {
                    if (len == all.length) all = Arrays.copyOf(all, 2 * len);
                    got = r.read(all, len, all.length - len);
                    if (got < 0) break;
                }
                rate[0] = r.sampleRate();
                return Arrays.copyOf(all, len);
            }
        }

        public static void main(String[] args) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
            for (String line; (line = in.readLine()) != null; ) {
                String[] p = line.split("\\t");
                int[] rate = new int[1];
                float[] x = read(p[0], rate);
                float[] y = read(p[1], rate);
                long t0 = System.nanoTime();
                double d = Stoi.stoi(x, y, rate[0]);
                System.out.printf(Locale.ROOT, "%.17g %.3f%n", d, (System.nanoTime() - t0) / 1e6);
            }
        }
    }
""")


def run(cmd, stdin=None, stdout=None):
    subprocess.run(cmd, stdin=stdin, stdout=stdout, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pystoi_src")
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--jar", default="runtime/target/pdq.jar")
    ap.add_argument("--per-corpus", type=int, default=12)
    ap.add_argument("--bits", type=int, default=4)
    a = ap.parse_args()
    sys.path.insert(0, a.pystoi_src)
    from pystoi import stoi
    jar = str(Path(a.jar).resolve())
    pdq = ["java", "-jar", jar]

    with tempfile.TemporaryDirectory(prefix="stoi-check-") as tmp:
        tmp = Path(tmp)
        (tmp / "StoiMain.java").write_text(JAVA_MAIN)
        run(["javac", "-d", str(tmp), "-cp", jar, str(tmp / "StoiMain.java")])
        cases = []  # (name, kind, clean path, processed path)
        for corpus in a.corpora:
            files = sorted(Path(corpus).glob("*.wav"))[:a.per_corpus]
            for f in files:
                rate, data = wavfile.read(f)
                x = data.astype(np.float64) / (32768.0 if data.dtype == np.int16 else 1.0)
                x = (x / np.max(np.abs(x))).astype(np.float32)
                stem = f"{Path(corpus).parent.name}-{f.stem}"
                clean = tmp / f"{stem}.wav"
                wavfile.write(clean, rate, x)
                quant = tmp / f"{stem}.q.wav"
                deq = tmp / f"{stem}.d.wav"
                with open(clean, "rb") as i, open(quant, "wb") as o:
                    run(pdq + ["quantize", "--bits", str(a.bits), "--output", "wav"], i, o)
                with open(clean, "rb") as i, open(deq, "wb") as o:
                    q = subprocess.Popen(pdq + ["quantize", "--bits", str(a.bits)], stdin=i, stdout=subprocess.PIPE)
                    run(pdq + ["dequantize", "--output-format", "wav-f32"], q.stdout, o)
                    q.stdout.close()
                    if q.wait() != 0:
                        sys.exit(f"pdq quantize failed on {f}")
                cases.append((stem, "quantized", clean, quant))
                cases.append((stem, "dequantized", clean, deq))
                print(f"prepared {stem}", file=sys.stderr)

        pairs = "".join(f"{c}\t{p}\n" for _, _, c, p in cases)
        out = subprocess.run(["java", "-cp", f"{tmp}:{jar}", "StoiMain"], input=pairs, capture_output=True,
                             text=True, check=True).stdout.split("\n")
        print(f"{'file':40s} {'signal':12s} {'pystoi':>10s} {'java':>10s} {'difference':>11s} {'java ms':>8s}")
        worst = 0.0
        means = {}
        for (stem, kind, c, p), line in zip(cases, out):
            java, ms = line.split()
            rate, xc = wavfile.read(c)
            _, yp = wavfile.read(p)
            yp = yp.astype(np.float64) / (32768.0 if yp.dtype == np.int16 else 1.0)
            ref = stoi(xc.astype(np.float64), yp, rate)
            diff = float(java) - ref
            worst = max(worst, abs(diff))
            m = means.setdefault((stem.split("-")[0], kind), [0, 0.0, 0.0])
            m[0] += 1
            m[1] += ref
            m[2] += float(java)
            print(f"{stem:40s} {kind:12s} {ref:10.6f} {float(java):10.6f} {diff:+11.2e} {float(ms):8.1f}")
        for (corpus, kind), (n, ref, java) in means.items():
            print(f"mean over {n} files of {corpus}, {kind}: pystoi {ref / n:.6f}, java {java / n:.6f}")
        print(f"{len(cases)} pairs from {len(cases) // 2} files: max |java - pystoi| = {worst:.3e}")


if __name__ == "__main__":
    main()
