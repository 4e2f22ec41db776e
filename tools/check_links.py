#!/usr/bin/env python3
"""Checks that every relative link in the README and the docs resolves to a file or folder (and a #anchor to a heading)."""
import os, re, sys, subprocess
root = subprocess.check_output(["git", "rev-parse", "--show-toplevel"], text=True).strip()
files = subprocess.check_output(["git", "ls-files", "*.md"], cwd=root, text=True).split()
files += subprocess.check_output(["git", "ls-files", "--others", "--exclude-standard", "*.md"], cwd=root, text=True).split()
link = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
def anchors(path):
    out = set()
    for line in open(path, encoding="utf-8"):
        m = re.match(r"#+\s+(.*)", line)
        if m:
            a = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            out.add(a)
    return out
bad = 0
for f in sorted(set(files)):
    text = open(os.path.join(root, f), encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in link.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, frag = target.partition("#")
        full = os.path.normpath(os.path.join(root, os.path.dirname(f), path)) if path else os.path.join(root, f)
        if not os.path.exists(full):
            print(f"{f}: {target}: no such file"); bad += 1
        elif frag and full.endswith(".md") and frag not in anchors(full):
            print(f"{f}: {target}: no such heading"); bad += 1
print(f"{len(set(files))} files checked, {bad} broken links", file=sys.stderr)
sys.exit(1 if bad else 0)
