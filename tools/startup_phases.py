#!/usr/bin/env python3
"""Median time of each start-up phase that pdq marks under -Dpdq.trace.startup, for commands run in alternation.

Usage: tools/startup_phases.py [--runs N] [--stdin FILE] NAME=COMMAND [NAME=COMMAND ...]
  e.g. tools/startup_phases.py --runs 10 \\
           'jar=java -Dpdq.trace.startup -jar runtime/target/pdq.jar dequantize --bits 4' \\
           'launcher=env PDQ_JAVA_OPTS=-Dpdq.trace.startup runtime/target/bin/pdq dequantize --bits 4'
Each command must turn the trace on itself (the property, or PDQ_JAVA_OPTS for the launcher). Rounds run every
command once, in a shuffled order (seeded). For every phase (the marks of dev.pdq.trace.StartupTrace, in the order
first seen) the table gives the median wall-clock and main-thread CPU milliseconds since the previous mark, per
command, and the median of the first mark's time since the JVM started; then the median of the whole process's
wall time. Results go to stdout.
"""
import os, random, re, statistics, subprocess, sys, time

import command_args

runs, _, stdin_path, commands = command_args.parse(sys.argv[1:], "startup_phases", __doc__, runs=10)


FIRST = re.compile(r"pdq: startup: ([\d.]+) ms, main thread cpu ([\d.]+) ms (.*?) \(JVM uptime")
LATER = re.compile(r"pdq: startup: [\d.]+ ms \(\+([\d.]+)\), main thread cpu [\d.]+ ms \(\+([\d.]+)\) (.*)$")

phases = []  # names in order first seen
data = {name: {} for name, _ in commands}  # command -> phase -> [(wall, cpu)]
walls = {name: [] for name, _ in commands}
rng = random.Random(1)
load_before = os.getloadavg()
for r in range(runs):
    order = list(range(len(commands)))
    rng.shuffle(order)
    for i in order:
        name, argv = commands[i]
        with open(stdin_path, "rb") as stdin:
            t0 = time.perf_counter()
            p = subprocess.run(argv, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            walls[name].append(time.perf_counter() - t0)
        for line in p.stderr.splitlines():
            m = FIRST.search(line)
            if m:
                phase, wall, cpu = "JVM start to main (since JVM start)", float(m.group(1)), float(m.group(2))
            else:
                m = LATER.search(line)
                if not m:
                    continue
                phase, wall, cpu = m.group(3).strip(), float(m.group(1)), float(m.group(2))
            if phase not in phases:
                phases.append(phase)
            data[name].setdefault(phase, []).append((wall, cpu))
load_after = os.getloadavg()

print(f"{runs} rounds, load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; {os.cpu_count()} CPUs")
print("median ms per phase, wall / main-thread cpu")
header = f"{'phase':<40}" + "".join(f" {name:>22}" for name, _ in commands)
print(header)
for phase in phases:
    row = f"{phase:<40}"
    for name, _ in commands:
        v = data[name].get(phase)
        if v:
            row += f" {statistics.median(w for w, _ in v):10.1f} / {statistics.median(c for _, c in v):9.1f}"
        else:
            row += f" {'-':>22}"
    print(row)
print(f"{'whole process, wall':<40}" + "".join(f" {statistics.median(walls[n]) * 1e3:10.1f} {'':11}"
                                             for n, _ in commands))
