"""Peak memory of analysing a 1,000,000-word story.

Writes the LitBank originals from ../shared, concatenated (and repeated) to 1,000,000 words,
to a temporary file, then in a fresh subprocess runs ``fabula.read`` on it and reports the
process's peak resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``), and the
baseline after ``import fabula`` and loading the tokenizer. With ``--json`` the subprocess
also serialises the story with ``Story.to_json``.
Issue 2 target: peak < 1 GiB.

    .venv/bin/python bench/memory.py [--words 1000000] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import litbank_text, machine

CHILD = r"""
import json, resource, sys, time
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kB on Linux
import fabula
fabula.analyze("Warm up. \"Hello,\" she said.")
base = peak()
t0 = time.perf_counter()
story = fabula.read(sys.argv[1])
secs = time.perf_counter() - t0
after_read = peak()
json_chars = len(story.to_json()) if sys.argv[2] == "1" else 0
print(json.dumps({"baseline": base, "peak_analyze": after_read, "peak": peak(), "seconds": secs,
                  "chars": len(story.text), "tokens": len(story.tokens or ()), "json_chars": json_chars}))
"""

GIB = 1024**3


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=1_000_000, help="words in the input (default 1,000,000)")
    ap.add_argument("--json", action="store_true", help="also serialise the story to JSON in the child")
    args = ap.parse_args()

    text = litbank_text(args.words * 7)  # about 5.6 characters a word: cut to the word count below
    # Cut at a white-space boundary holding args.words words (counting str.split() words).
    total = 0
    pos = 0
    for m_end in _word_ends(text):
        total += 1
        pos = m_end
        if total >= args.words:
            break
    text = text[:pos] + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        out = subprocess.run([sys.executable, "-c", CHILD, path, "1" if args.json else "0"],
                             capture_output=True, text=True, check=True)
    finally:
        Path(path).unlink()
    r = json.loads(out.stdout)
    print(f"machine: {machine()}")
    print(f"input: {len(text.split()):,} words, {r['chars']:,} chars, {r['tokens']:,} tokens (LitBank, concatenated)")
    print(f"fabula.read took {r['seconds']:.2f} s")
    print(f"baseline RSS after import + warm-up : {r['baseline'] / 2**20:8.1f} MiB")
    print(f"peak RSS after fabula.read          : {r['peak_analyze'] / 2**20:8.1f} MiB")
    if args.json:
        print(f"peak RSS after to_json ({r['json_chars']:,} chars): {r['peak'] / 2**20:8.1f} MiB")
    verdict = "OK" if r["peak"] < GIB else "OVER"
    print(f"peak {r['peak'] / GIB:.3f} GiB, target < 1 GiB: {verdict}")
    return 0


def _word_ends(text: str):
    import re

    for m in re.finditer(r"\S+", text):
        yield m.end()


if __name__ == "__main__":
    raise SystemExit(main())
