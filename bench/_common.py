"""Helpers shared by the benchmark scripts: where ../shared is, the LitBank text, the machine.

The scripts read the LitBank originals from ../shared (never copied into the project) and
exit with a clear message, status 0, when ../shared is absent.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FABULA_SHARED", ROOT.parent / "shared"))
LITBANK_ORIGINAL = SHARED / "litbank-dev" / "original"


def need_litbank() -> list[Path]:
    """The LitBank original texts, or exit 0 with a message saying why the bench is skipped."""
    files = sorted(LITBANK_ORIGINAL.glob("*.txt")) if LITBANK_ORIGINAL.is_dir() else []
    if not files:
        print(f"SKIPPED: {LITBANK_ORIGINAL} is absent (../shared is not beside the project); "
              "the benchmarks read the LitBank texts from there.", file=sys.stderr)
        raise SystemExit(0)
    return files


def litbank_text(min_chars: int) -> str:
    """The LitBank originals concatenated (blank line between works, repeated if needed) to >= min_chars."""
    texts = [p.read_text(encoding="utf-8", errors="replace").strip() for p in need_litbank()]
    out: list[str] = []
    n = 0
    while n < min_chars:
        for t in texts:
            out.append(t)
            n += len(t) + 2
            if n >= min_chars:
                break
    return "\n\n".join(out) + "\n"


def machine() -> str:
    """One line naming the CPU, the cores, Python and spaCy versions, and the date (UTC)."""
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import spacy

        sp = spacy.__version__
    except ImportError:
        sp = "absent"
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, spaCy {sp}, "
            f"{platform.system()} {platform.release()}; {date}; load average before the run {load}")


def best_of(n: int, func, *args):
    """Run ``func(*args)`` n times; return (best seconds, last result)."""
    best = float("inf")
    result = None
    for _ in range(n):
        t0 = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - t0)
    return best, result


def write_varied_corpus(folder: Path, n: int, *, chars: int = 10_000, seed: int = 0) -> list[Path]:
    """Write ``n`` story files made by cutting and varying the LitBank texts (and the example story).

    Work i is a run of whole paragraphs of about ``chars`` characters from one source, starting
    at a place that depends on i and ``seed``, under a title line naming it; sources are used in turn.
    """
    import random

    sources = [p.read_text(encoding="utf-8", errors="replace") for p in need_litbank()]
    sources += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.md"))]
    sources += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        src = sources[i % len(sources)]
        start = rng.randrange(0, max(1, len(src) - chars))
        start = src.find("\n\n", start)
        start = 0 if start < 0 else start + 2
        end = src.find("\n\n", start + chars)
        end = len(src) if end < 0 else end
        body = src[start:end].strip() or src[:chars]
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"work-{i:05d}.txt"
        path.write_text(f"Work {i}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths
