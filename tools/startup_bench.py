#!/usr/bin/env python3
"""Whole-process wall time of commands, run in alternating rounds, with medians and ratios to the first command.

Usage: tools/startup_bench.py [--runs N] [--warmup W] [--stdin FILE] NAME=COMMAND [NAME=COMMAND ...]
  e.g. tools/startup_bench.py --runs 30 'java -version=java -version' \\
           'launcher=runtime/target/bin/pdq dequantize --bits 4'
Each round runs every command once, in a shuffled order (seeded), so that a machine whose speed drifts (other jobs
starting and stopping) slows every command alike; the per-round ratio to the first command is paired for the same
reason. A command is split as a shell splits words and run without a shell, stdin from FILE (default /dev/null),
stdout and stderr discarded. Reported per command: the median, min and max wall time, median CPU time (user +
system, of the process and the children it waited for) and median peak RSS (ru_maxrss), the ratio of medians and
the median per-round ratio to the first command, and the load average before and after. Results go to stdout.
"""
import os, random, statistics, subprocess, sys, time

import command_args

runs, warmup, stdin_path, commands = command_args.parse(sys.argv[1:], "startup_bench", __doc__, runs=20, warmup=2)


def run(argv):
    with open(stdin_path, "rb") as stdin:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, p.returncode


load_before = os.getloadavg()
rng = random.Random(1)
results = {name: [] for name, _ in commands}
codes = {name: set() for name, _ in commands}
for r in range(warmup + runs):
    order = list(range(len(commands)))
    rng.shuffle(order)
    for i in order:
        name, argv = commands[i]
        wall, cpu, rss, code = run(argv)
        codes[name].add(code)
        if r >= warmup:
            results[name].append((wall, cpu, rss))
load_after = os.getloadavg()

base = commands[0][0]
base_walls = [w for w, _, _ in results[base]]
print(f"{runs} rounds (+{warmup} warm-up), load average before {load_before[0]:.2f} {load_before[1]:.2f}"
      f" {load_before[2]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; {os.cpu_count()} CPUs")
print(f"{'command':<28} {'median ms':>9} {'min':>7} {'max':>7} {'cpu ms':>7} {'rss MB':>7} {'x first':>8}"
      f" {'paired':>7}  exit")
for name, _ in commands:
    walls = [w for w, _, _ in results[name]]
    cpus = [c for _, c, _ in results[name]]
    rsss = [m for _, _, m in results[name]]
    med = statistics.median(walls)
    paired = statistics.median(w / b for w, b in zip(walls, base_walls))
    print(f"{name:<28} {med * 1e3:9.1f} {min(walls) * 1e3:7.1f} {max(walls) * 1e3:7.1f}"
          f" {statistics.median(cpus) * 1e3:7.1f} {statistics.median(rsss):7.1f}"
          f" {med / statistics.median(base_walls):8.2f} {paired:7.2f}  {','.join(map(str, sorted(codes[name])))}")
