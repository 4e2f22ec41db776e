#!/usr/bin/env python3
"""Times `pdq dequantize` (K = DCT) and the NumPy reference pipe (tools/numpy_pipe.py) as whole processes on the
same speech, and prints the machine, the versions and a Markdown table.

Usage: tools/bench_numpy.py [--pdq CMD] [--runs N] [--configs B:L,...] [--seconds S,...] [--corpus DIR]
                            [--numpy-threads T] [--stats]

Clips of S seconds (default 60 and 10) are made in a temporary folder from the corpus's files in name order:
concatenated with sox, 16 kHz mono, peak-normalized, cut to S seconds, then `pdq quantize --bits 4 --output s16le`.
For every clip and configuration (B, L) the two commands run alternately, N times each, after one untimed run of
each (page cache, the JIT's and Python's files). Each run reads the clip from a file on stdin and writes to a file;
wall time is measured from start to exit, CPU time (user + sys) from the child's rusage. Both outputs of the last
run are compared sample by sample (float32 rounding may differ by 1 LSB). The ratio is NumPy's median time over
pdq's: higher is better for pdq. Progress goes to stderr, the report to stdout.

pdq runs as `CMD dequantize --model dct --shifts 1 --bits 4 --input-format s16le --iterations L --batch B`; CMD
defaults to runtime/target/bin/pdq if present, else `java -jar runtime/target/pdq.jar`. With --stats, pdq runs once
more per configuration with --stats, to split its time into start-up (process minus stream wall-clock) and solver.
"""
import argparse
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PDQ_ARGS = ["dequantize", "--model", "dct", "--shifts", "1", "--bits", "4", "--input-format", "s16le"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def default_pdq():
    launcher = REPO / "runtime/target/bin/pdq"
    if launcher.exists():
        return [str(launcher)]
    return ["java", "-jar", str(REPO / "runtime/target/pdq.jar")]


def timed(cmd, src, dst, env=None):
    """Runs cmd with stdin from src and stdout to dst; returns (wall s, CPU s, stderr text)."""
    with open(src, "rb") as i, open(dst, "wb") as o, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdin=i, stdout=o, stderr=err, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode(errors="replace")
    if p.returncode != 0:
        sys.exit(f"bench_numpy: {shlex.join(cmd)} failed with exit {p.returncode}:\n{text}")
    return wall, ru.ru_utime + ru.ru_stime, text


def make_clip(files, seconds, pdq, folder):
    """seconds of speech from files, 16 kHz mono, normalized, quantized to 4 bits as s16le; returns its path."""
    wav = folder / f"clip{seconds:g}.wav"
    # enough files to fill the clip (each is over a second long), then trim
    need, total = [], 0.0
    for f in files:
        need.append(str(f))
        total += float(subprocess.check_output(["soxi", "-D", str(f)], text=True))
        if total >= seconds:
            break
    if total < seconds:
        sys.exit(f"bench_numpy: the corpus holds only {total:.1f} s, less than {seconds:g} s")
    subprocess.run(["sox", "-V1", "-D", *need, "-r", "16000", "-c", "1", "-b", "16", str(wav),
                    "norm", "trim", "0", f"{seconds:g}"], check=True)
    q = folder / f"clip{seconds:g}.s16le"
    with open(wav, "rb") as i, open(q, "wb") as o:
        subprocess.run(pdq + ["quantize", "--bits", "4", "--output", "s16le"], stdin=i, stdout=o,
                       stderr=subprocess.DEVNULL, check=True)
    return q


def compare(a, b):
    """(max |a - b| in LSB, share of samples that differ) of two s16le files of equal length."""
    import numpy as np
    x = np.fromfile(a, "<i2").astype(np.int32)
    y = np.fromfile(b, "<i2").astype(np.int32)
    if len(x) != len(y):
        return f"lengths differ: {len(x)} and {len(y)}"
    d = np.abs(x - y)
    return f"max diff {d.max()} LSB, {100 * np.mean(d > 0):.3f}% of {len(d)} samples differ"


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    return f"{model}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}"


def versions(pdq):
    import numpy as np
    out = []
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    out.append(f"java: {java[0] if java else '?'}" + (f" ({java[-1].strip()})" if len(java) > 1 else ""))
    out.append(f"python {platform.python_version()}, numpy {np.__version__}")
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        out.append(f"numpy BLAS (build): {blas.get('name')} {blas.get('version')}, "
                   f"{' '.join(blas.get('openblas configuration', '').split())}")
    except Exception as e:  # older numpy without mode="dicts"
        out.append(f"numpy BLAS: not known ({e})")
    try:
        from threadpoolctl import threadpool_info
        for p in threadpool_info():
            out.append(f"numpy BLAS (runtime, threadpoolctl): {p.get('internal_api')} {p.get('version')}, "
                       f"{p.get('architecture')}, {p.get('num_threads')} threads")
    except ImportError:
        out.append("numpy BLAS threads: threadpoolctl not installed; OpenBLAS uses one thread a core unless "
                   f"OPENBLAS_NUM_THREADS is set (it is {os.environ.get('OPENBLAS_NUM_THREADS', 'unset')})")
    info = subprocess.run(pdq + ["info", "--model", "dct"], capture_output=True, text=True)
    ver = subprocess.run(pdq + ["--version"], capture_output=True, text=True)
    out.append(f"pdq: {ver.stdout.strip() or ver.stderr.strip()}, command {shlex.join(pdq)}")
    for line in (info.stderr + info.stdout).splitlines():
        if "BLAS:" in line:
            out.append("pdq " + line.split("INFO: ", 1)[-1])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdq", help="the pdq command (default: runtime/target/bin/pdq, else java -jar pdq.jar)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each command per configuration (5)")
    ap.add_argument("--configs", default="1:100,32:300,128:100", help="B:L pairs (default 1:100,32:300,128:100)")
    ap.add_argument("--seconds", default="60,10", help="clip lengths in seconds (default 60,10)")
    ap.add_argument("--corpus", default=str(REPO.parent / "shared/corpus/ieee16k/dev"),
                    help="folder of WAV files (default ../shared/corpus/ieee16k/dev)")
    ap.add_argument("--python", default=sys.executable, help="the Python that runs the NumPy pipe")
    ap.add_argument("--numpy-threads", type=int,
                    help="OPENBLAS_NUM_THREADS for the NumPy pipe only (default: as in this environment)")
    ap.add_argument("--stats", action="store_true", help="also run pdq once per configuration with --stats")
    a = ap.parse_args()
    pdq = shlex.split(a.pdq) if a.pdq else default_pdq()
    configs = [tuple(int(v) for v in c.split(":")) for c in a.configs.split(",")]
    lengths = [float(s) for s in a.seconds.split(",")]
    files = sorted(Path(a.corpus).glob("*.wav"))
    if not files:
        sys.exit(f"bench_numpy: no .wav files in {a.corpus}")
    pipe = [a.python, str(REPO / "tools/numpy_pipe.py")]
    env = {"pdq": None, "numpy": None}
    if a.numpy_threads is not None:
        env["numpy"] = dict(os.environ, OPENBLAS_NUM_THREADS=str(a.numpy_threads))

    print(f"machine: {machine()}")
    for line in versions(pdq):
        print(line)
    if a.numpy_threads is not None:
        print(f"the NumPy pipe runs with OPENBLAS_NUM_THREADS={a.numpy_threads}")
    print(f"command: {shlex.join([sys.argv[0]] + sys.argv[1:])}")
    load0 = os.getloadavg()
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*load0), flush=True)

    rows, stats = [], []
    with tempfile.TemporaryDirectory(prefix="bench_numpy.") as tmp:
        tmp = Path(tmp)
        for seconds in lengths:
            clip = make_clip(files, seconds, pdq, tmp)
            for b, l in configs:
                cmds = {"pdq": pdq + PDQ_ARGS + ["--iterations", str(l), "--batch", str(b)],
                        "numpy": pipe + ["--iterations", str(l), "--batch", str(b), "--bits", "4"]}
                outs = {name: tmp / f"{name}.s16le" for name in cmds}
                wall = {name: [] for name in cmds}
                cpu = {name: [] for name in cmds}
                for name, cmd in cmds.items():
                    timed(cmd, clip, outs[name], env[name])  # untimed warm-up
                for run in range(a.runs):
                    for name, cmd in cmds.items():
                        w, c, _ = timed(cmd, clip, outs[name], env[name])
                        wall[name].append(w)
                        cpu[name].append(c)
                        log(f"{seconds:g} s, B = {b}, L = {l}, run {run + 1}: {name} {w:.3f} s wall, {c:.3f} s CPU")
                agree = compare(outs["pdq"], outs["numpy"])
                med = {name: statistics.median(v) for name, v in wall.items()}
                rows.append((seconds, b, l, med["pdq"], min(wall["pdq"]), max(wall["pdq"]),
                             med["numpy"], min(wall["numpy"]), max(wall["numpy"]), med["numpy"] / med["pdq"],
                             statistics.median(cpu["pdq"]), statistics.median(cpu["numpy"]), agree))
                log(f"  pdq against NumPy: {agree}")
                if a.stats:
                    w, _, text = timed(cmds["pdq"] + ["--stats"], clip, outs["pdq"])
                    m = re.search(r"real-time factor ([\d.]+) \(solver time / audio time\), ([\d.]+) wall", text)
                    if m:
                        solver, stream = float(m.group(1)) * seconds, float(m.group(2)) * seconds
                        stats.append((seconds, b, l, w, stream, solver))
    load1 = os.getloadavg()
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*load1))
    print()
    print("| speech | B | L | pdq median s (min-max) | NumPy median s (min-max) | ratio NumPy/pdq "
          "| pdq CPU s | NumPy CPU s | outputs |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for s, b, l, pm, p0, p1, nm, n0, n1, ratio, pc, nc, agree in rows:
        print(f"| {s:g} s | {b} | {l} | {pm:.2f} ({p0:.2f}-{p1:.2f}) | {nm:.2f} ({n0:.2f}-{n1:.2f}) | "
              f"{ratio:.2f}x | {pc:.2f} | {nc:.2f} | {agree} |")
    if stats:
        print()
        print("pdq --stats, one run each: process wall time = start-up and shut-down + the stream's wall-clock "
              "time (reading, solving, writing); the solver's share of it")
        print()
        print("| speech | B | L | process s | stream s | solver s | process - stream s |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for s, b, l, w, stream, solver in stats:
            print(f"| {s:g} s | {b} | {l} | {w:.2f} | {stream:.2f} | {solver:.2f} | {w - stream:.2f} |")


if __name__ == "__main__":
    main()
