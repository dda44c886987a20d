"""Sentence boundaries against LitBank's sentence split (development split).

LitBank gives its excerpts one sentence a line. ``fabula.eval.litbank`` aligns every token to
the original text, so each LitBank sentence has a start offset there. fabula's splitter runs
paragraph by paragraph over the same text (through ``analyze_work``); a boundary is the start
of a sentence that is not the start of a paragraph (paragraph starts are free for both, and
LitBank's lines do not know paragraphs). Precision / recall / F1 of boundary offsets.

LitBank's split is itself automatic (it splits inside quotes, e.g. after "Oh dear!"), so this
is a consistency check for finding systematic misses, not a gold standard.

Usage::

    .venv/bin/python bench/sentence_boundaries_litbank.py [--show N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fabula.eval.litbank import analyze_work, load_litbank  # noqa: E402
from fabula.pipeline import Pipeline  # noqa: E402

LITBANK = ROOT.parent / "shared" / "litbank-dev"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=0, help="show N misses and N false boundaries per work")
    args = ap.parse_args()
    pipe = Pipeline(["paragraphs", "structure", "sentences"])
    tp = fp = fn = 0
    for work in load_litbank(LITBANK):
        story = analyze_work(work, pipeline=pipe)
        lo, hi = work.region
        text = work.text
        para_starts = {p.start_char for p in story.layer("paragraphs")}
        gold = set()
        for s, sent in enumerate(work.token_spans):
            if sent and work.token_aligned[s][0]:
                gold.add(sent[0][0])
        gold = {g for g in gold if lo < g < hi and g not in para_starts}
        pred = {s.start_char for s in story.layer("sentences") if lo < s.start_char < hi}
        pred -= para_starts
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        if args.show:
            for g in sorted(gold - pred)[: args.show]:
                print(f"  MISS {work.id[:18]} {text[max(0, g - 50) : g]!r} | {text[g : g + 30]!r}")
            for g in sorted(pred - gold)[: args.show]:
                print(f"  FALSE {work.id[:18]} {text[max(0, g - 50) : g]!r} | {text[g : g + 30]!r}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"boundaries gold={tp + fn} predicted={tp + fp} precision={p:.4f} recall={r:.4f} F1={f:.4f}")


if __name__ == "__main__":
    main()
