#!/usr/bin/python3
"""Renders every file of the malformed-input corpus (make_corpus.py) with `planatlas render` and checks what a user
sees: exit 0 with something drawn, or exit 1 with one error line naming the file (after, at most, warnings naming
it); never a crash (signal), a hang (the timeout), a blank image with exit 0, or GDAL's raw "ERROR 1:" /
"Warning 1:" lines on stderr.

Usage: /usr/bin/python3 run_corpus.py PLANATLAS SCRATCH_DIR [TIMEOUT_S] [NAME_FILTER]"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

from osgeo import gdal

gdal.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
BIN, SCRATCH = sys.argv[1], sys.argv[2]
TIMEOUT = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
ONLY = sys.argv[4] if len(sys.argv) > 4 else ""
RAW_GDAL = re.compile(r"^(ERROR|Warning) \d+:", re.M)


def inked(png):
    """True when the image has pixels other than its background (the first pixel)."""
    ds = gdal.Open(png)
    bands = [ds.GetRasterBand(b + 1).ReadRaster() for b in range(ds.RasterCount)]
    first = tuple(b[0] for b in bands)
    return any(tuple(b[i] for b in bands) != first for i in range(0, len(bands[0]), 7))


def check(c):
    """Returns a list of problems with one case (empty: it passed) and a one-line summary."""
    name = c["file"]
    src = os.path.join(SCRATCH, "corpus", name)
    out = os.path.join(SCRATCH, "out", name + ".png")
    if os.path.exists(out):
        os.remove(out)
    args = [BIN, "render", "--out", out, "--size", "200x160"]
    args += ["--project", src] if name.endswith(".atlas.json") else [src]
    t0 = time.monotonic()
    try:
        p = subprocess.run(args, capture_output=True, timeout=TIMEOUT, cwd=SCRATCH)
    except subprocess.TimeoutExpired:
        return ["no answer within %.0f s (a hang)" % TIMEOUT], "timeout"
    secs = time.monotonic() - t0
    err = p.stderr.decode("utf-8", "replace")
    lines = [l for l in err.splitlines() if l.strip()]
    problems = []
    if p.returncode < 0 or p.returncode > 2:
        problems.append("crashed or killed (exit %d)" % p.returncode)
    if RAW_GDAL.search(err):
        problems.append("raw GDAL message on stderr")
    if any("sanitizer" in l.lower() or "runtime error:" in l for l in lines):
        problems.append("sanitizer report")
    if p.returncode == 0:
        if c["expect"] == "error":
            problems.append("exit 0, expected an error")
        if not os.path.exists(out):
            problems.append("exit 0 without an image")
        elif not inked(out):
            problems.append("exit 0 with a blank image (a silent blank)")
    elif p.returncode == 1:
        if c["expect"] == "draw":
            problems.append("exit 1, expected a drawing")
        # One error line; a warning the read gave before it (say, GDAL's complaint about a damaged TIFF header,
        # then the block that cannot be read) may precede it when it names the same file.
        errors = [l for l in lines if ": error: " in l]
        others = [l for l in lines if ": error: " not in l]
        if len(errors) != 1 or any(": warning: " not in l or c["names"] not in l for l in others):
            problems.append("exit 1 with %d stderr lines (want one error line)" % len(lines))
        elif c["names"] not in errors[0]:
            problems.append("the error line does not name %s" % c["names"])
        if os.path.exists(out):
            problems.append("a failed render left its image")
    else:
        problems.append("exit %d (usage error?)" % p.returncode)
    for frag in c["stderr"]:
        if frag not in err:
            problems.append("stderr lacks '%s'" % frag)
    if problems:
        problems.append("stderr was:\n    " + "\n    ".join(lines[:12]))
    return problems, "exit %d, %.1f s, %d stderr lines" % (p.returncode, secs, len(lines))


def main():
    corpus = os.path.join(SCRATCH, "corpus")
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(os.path.join(SCRATCH, "out"))
    subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_corpus.py"), corpus], check=True)
    with open(os.path.join(corpus, "cases.json")) as f:
        cases = [c for c in json.load(f) if ONLY in c["file"]]
    failed = 0
    for c in cases:
        problems, summary = check(c)
        print("%-4s %-34s %s" % ("FAIL" if problems else "ok", c["file"], summary))
        for pr in problems:
            print("     " + pr)
        failed += bool(problems)
        sys.stdout.flush()
    print("%d of %d corpus files failed" % (failed, len(cases)))
    if not ONLY and len(cases) < 50:
        print("the corpus has fewer than 50 files")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
