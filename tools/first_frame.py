#!/usr/bin/env python3
"""Time from process start to the first dequantized frame on stdout, and peak resident memory of a stream.

Usage: tools/first_frame.py [--seconds S] java-args... [-- dequantize-args...]
       tools/first_frame.py [--seconds S] --launcher PATH [-- dequantize-args...]
  e.g. tools/first_frame.py --seconds 60 -Xmx32m -jar runtime/target/pdq.jar -- --backend native
       PDQ_NODE=1 tools/first_frame.py --seconds 60 --launcher runtime/target/bin/pdq -- --backend native
Starts `java ... dequantize --batch 1 --input-format s16le` (or `PATH dequantize ...`: the launcher, with this
environment), writes one 20 ms frame of 4-bit samples at once,
reports the time until the first output byte, then streams S seconds of audio in real time-independent bursts
and reports VmHWM (peak RSS) from /proc at the end. Results go to stderr.
"""
import math, os, struct, subprocess, sys, time

args = sys.argv[1:]
seconds = 60.0
if args[:1] == ["--seconds"]:
    seconds = float(args[1]); args = args[2:]
command = ["java"]
if args[:1] == ["--launcher"]:
    command = [args[1]]; args = args[2:]
extra = []
if "--" in args:
    i = args.index("--")
    args, extra = args[:i], args[i + 1:]

def frame(start, n=320, bits=4):
    q = 1 << bits
    out = bytearray()
    for t in range(start, start + n):
        v = 0.6 * math.sin(0.05 * t) * (0.5 + 0.5 * math.sin(0.0007 * t))
        c = min(q - 1, max(0, math.floor((v + 1) * q / 2)))
        out += struct.pack("<h", int(round((-1 + (2 / q) * (c + 0.5)) * 32768)))
    return bytes(out)

t0 = time.monotonic()
p = subprocess.Popen(command + args + ["dequantize", "--batch", "1", "--input-format", "s16le"] + extra,
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
p.stdin.write(frame(0)); p.stdin.flush()
first = p.stdout.read(2)
t1 = time.monotonic()
print(f"first output frame after {t1 - t0:.3f} s", file=sys.stderr)
hwm = 0
frames = int(seconds * 50)
block = b"".join(frame(i * 320) for i in range(50))  # one second
import threading
def drain():
    while p.stdout.read(65536):
        pass
th = threading.Thread(target=drain); th.start()
for s in range(int(seconds)):
    p.stdin.write(block); p.stdin.flush()
    with open(f"/proc/{p.pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                hwm = int(line.split()[1])
p.stdin.close(); th.join(); p.wait()
print(f"streamed {seconds:.0f} s of audio; peak resident memory (VmHWM) {hwm / 1024:.1f} MiB; exit {p.returncode}",
      file=sys.stderr)
