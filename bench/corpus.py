"""Corpus-mode benchmarks (issue 7): scaling 1 -> 2 workers, per-work overhead, memory against corpus size.

* ``scaling``: one corpus cut from the LitBank originals (``--works`` works of ``--chars``
  characters), run with 1 worker and with 2 workers, in the same run; the ratio of throughputs
  (target >= 1.8). Wall clock includes starting the worker pool; "steady" counts from the
  first finished batch.
* ``tiny``: ``--tiny`` very short works (about 40 words each, written here), 2 workers:
  works per second and milliseconds per work, against ``fabula.analyze`` on the same texts
  in one process (the corpus machinery's overhead per work).
* ``memory``: ``fabula corpus`` in a subprocess over 1x and 10x works; the peak resident memory
  of the whole process tree (driver + workers, sampled every 50 ms with psutil) and of the
  largest single process; target: 10x within 1.2 times 1x.

    .venv/bin/python bench/corpus.py [--only scaling,tiny,memory] [--works 60] [--tiny 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import ROOT, machine, write_varied_corpus

from fabula.corpus import run_corpus


class _Clock:
    def __init__(self) -> None:
        self.first: float | None = None
        self.first_words = 0
        self.cpu = 0.0

    def __call__(self, p) -> None:
        self.cpu = p.cpu_seconds
        if self.first is None and p.done:
            self.first = time.monotonic()
            self.first_words = p.words


def _timed_run(inputs: Path, out: Path, workers: int) -> tuple[float, float, int, float, float]:
    clock = _Clock()
    c0 = time.process_time()
    t0 = time.monotonic()
    report = run_corpus([str(inputs)], out, workers=workers, progress=clock, part_size=100)
    wall = time.monotonic() - t0
    end = time.monotonic()
    steady = (report.words - clock.first_words) / (end - clock.first) if clock.first and end > clock.first else 0.0
    assert report.failed == 0, f"{report.failed} works failed"
    return report.words / wall, steady, report.words, clock.cpu, time.process_time() - c0


def scaling(tmp: Path, works: int, chars: int) -> list[str]:
    inputs = tmp / "scaling"
    write_varied_corpus(inputs, works, chars=chars, seed=1)
    lines = [f"scaling: {works} works of ~{chars:,} chars cut from LitBank"]
    rates = {}
    for w in (1, 2):
        load = os.getloadavg()[0]
        wall, steady, words, cpu, driver = _timed_run(inputs, tmp / f"scaling-out-{w}", w)
        rates[w] = (wall, steady)
        lines.append(f"  {w} worker(s): {words:,} words, {wall:,.0f} words/s wall, {steady:,.0f} words/s steady, "
                     f"{words / cpu:,.0f} words per worker CPU-second, driver CPU {driver:.1f} s "
                     f"(load average before: {load:.1f})")
    lines.append(f"  ratio 2/1 workers: {rates[2][0] / rates[1][0]:.2f} wall, {rates[2][1] / rates[1][1]:.2f} steady"
                 "   target >= 1.8")
    return lines


TINY_LINES = [
    '"Is the kettle on?" asked Ada. Bram nodded and went to fetch two cups from the shelf.',
    'The rain had stopped. "We leave at dawn," said Corin, folding the map into his coat.',
    '*Not again,* Dell thought, as the cat knocked the last plate off the table.',
    'Esme counted the coins twice. "Enough for bread," she said, "and maybe a candle."',
]


def tiny(tmp: Path, n: int) -> list[str]:
    import fabula

    inputs = tmp / "tiny"
    texts = []
    for i in range(n):
        sub = inputs / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        text = f"{TINY_LINES[i % 4]} {TINY_LINES[(i + 1) % 4]} Work {i}.\n"
        (sub / f"w{i:05d}.txt").write_text(text, encoding="utf-8")
        texts.append(text)
    t0 = time.monotonic()
    for t in texts[:2000]:
        fabula.analyze(t)
    inline = (time.monotonic() - t0) / 2000
    clock = _Clock()
    load = os.getloadavg()[0]
    c0 = time.process_time()
    t0 = time.monotonic()
    report = run_corpus([str(inputs)], tmp / "tiny-out", workers=2, progress=clock)
    wall = time.monotonic() - t0
    driver = time.process_time() - c0
    words = report.words / report.done
    return [
        f"tiny: {n:,} works of ~{words:.0f} words, 2 workers (load average before: {load:.1f})",
        f"  {report.done / wall:,.0f} works/s, {1000 * wall / n:.2f} ms per work wall "
        f"({2000 * wall / n:.2f} ms of worker wall time per work)",
        f"  worker CPU {1000 * clock.cpu / n:.2f} ms per work (reading, pipeline, rows); "
        f"driver CPU {1000 * driver / n:.2f} ms per work (walking, ledger, Parquet)",
        f"  fabula.analyze alone, one process: {1000 * inline:.2f} ms per work",
    ]


CHILD_MONITOR = r"""
import json, subprocess, sys, time
import psutil
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
p = psutil.Process(proc.pid)
peak_total = peak_single = peak_driver = 0
while proc.poll() is None:
    try:
        procs = [p, *p.children(recursive=True)]
        rss = []
        for q in procs:
            try:
                rss.append(q.memory_info().rss)
            except psutil.Error:
                pass
        peak_total = max(peak_total, sum(rss))
        peak_single = max(peak_single, max(rss[1:], default=0))
        peak_driver = max(peak_driver, rss[0] if rss else 0)
    except psutil.Error:
        pass
    time.sleep(0.05)
print(json.dumps({"rc": proc.returncode, "total": peak_total, "single": peak_single, "driver": peak_driver}))
"""


def memory(tmp: Path, base: int, chars: int) -> list[str]:
    import json

    lines = [f"memory: fabula corpus -w 2 over 1x = {base} and 10x = {10 * base} works of ~{chars:,} chars"]
    peaks = {}
    for scale in (1, 10):
        inputs = tmp / f"mem-{scale}"
        write_varied_corpus(inputs, base * scale, chars=chars, seed=scale)
        cmd = [sys.executable, "-m", "fabula", "corpus", str(inputs), "-o", str(tmp / f"mem-out-{scale}"),
               "-w", "2", "--no-progress"]
        t0 = time.monotonic()
        out = subprocess.run([sys.executable, "-c", CHILD_MONITOR, *cmd], capture_output=True, text=True,
                             check=True, cwd=ROOT)
        r = json.loads(out.stdout)
        peaks[scale] = r
        mib = 2**20
        lines.append(f"  {scale:2d}x: peak tree RSS {r['total'] / mib:7.1f} MiB, driver {r['driver'] / mib:6.1f} MiB,"
                     f" largest worker-side process {r['single'] / mib:6.1f} MiB ({time.monotonic() - t0:.0f} s,"
                     f" exit {r['rc']})")
    lines.append(f"  ratio 10x/1x (tree): {peaks[10]['total'] / peaks[1]['total']:.2f}   target <= 1.2")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", default="scaling,tiny,memory")
    ap.add_argument("--works", type=int, default=60, help="works in the scaling corpus (default 60)")
    ap.add_argument("--chars", type=int, default=100_000, help="characters a scaling work (default 100,000)")
    ap.add_argument("--tiny", type=int, default=10_000, help="very short works (default 10,000)")
    ap.add_argument("--mem-works", type=int, default=100, help="works at 1x in the memory bench (default 100)")
    args = ap.parse_args()
    parts = args.only.split(",")
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if "scaling" in parts:
            print("\n".join(scaling(tmp, args.works, args.chars)), flush=True)
        if "tiny" in parts:
            print("\n".join(tiny(tmp, args.tiny)), flush=True)
        if "memory" in parts:
            print("\n".join(memory(tmp, args.mem_works, 20_000)), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
