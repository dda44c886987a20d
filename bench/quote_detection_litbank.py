"""Quote detection against LitBank (development split): precision, recall, F1.

A private measurement until ``fabula.eval.litbank`` exists. Each work's original text
(``original/<id>.txt``) is analysed by fabula's default pipeline; each gold quote's tokens
are aligned to the analysed text by a white-space-insensitive search, token by token, so
that the gold spans become character spans of ``story.text``. Only predicted quotes that
overlap the aligned excerpt region count. A prediction matches a gold quote when their
spans overlap by at least half of the longer one (``corpus/GOLD-FORMAT.md``); each gold
quote matches at most one prediction. LitBank annotates outermost quotations only, so
fabula's nested quotes (``nested=True``) are left out of the count.

Usage::

    .venv/bin/python bench/quote_detection_litbank.py [--show-errors N] [--work SUBSTRING]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import fabula  # noqa: E402

LITBANK = ROOT.parent / "shared" / "litbank-dev"

_NORM = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "`": "'"})


def _compress(text: str) -> tuple[str, list[int]]:
    """Text without white space and underscores, quotes normalised, with each char's index."""
    chars: list[str] = []
    index: list[int] = []
    for i, c in enumerate(text):
        if c.isspace() or c == "_":
            continue
        chars.append(c.translate(_NORM))
        index.append(i)
    return "".join(chars), index


def align(text: str, sentences: list[list[str]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Map (sentence, token) to a character span of ``text``; tokens that cannot be found are left out."""
    comp, index = _compress(text)
    out: dict[tuple[int, int], tuple[int, int]] = {}
    cur = 0
    for si, toks in enumerate(sentences):
        for ti, tok in enumerate(toks):
            t = tok.translate(_NORM).replace("_", "")
            t = re.sub(r"\s+", "", t)
            if not t:
                continue
            found = comp.find(t, cur, cur + 400 + len(t))
            if found < 0 and t in ('"', "'"):
                continue
            if found < 0:
                continue
            out[(si, ti)] = (index[found], index[found + len(t) - 1] + 1)
            cur = found + len(t)
    return out


def gold_quotes(work: str) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    sents = [
        line.split(" ")
        for line in (LITBANK / "quotations" / f"{work}_brat.txt").read_text(encoding="utf-8").split("\n")
    ]
    quotes = []
    for line in (LITBANK / "quotations" / f"{work}_brat.ann").read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if parts[0] == "QUOTE":
            quotes.append((int(parts[2]), int(parts[3]), int(parts[4]), int(parts[5])))
    return sents, quotes


def _match(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[int, set[int], set[int]]:
    used_p: set[int] = set()
    used_g: set[int] = set()
    for gi, (gs, ge) in enumerate(gold):
        for pi, (ps, pe) in enumerate(pred):
            if pi in used_p:
                continue
            ov = min(ge, pe) - max(gs, ps)
            if ov > 0 and ov >= 0.5 * max(ge - gs, pe - ps):
                used_p.add(pi)
                used_g.add(gi)
                break
    return len(used_g), used_p, used_g


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show-errors", type=int, default=0)
    ap.add_argument("--work", default="")
    ap.add_argument("--speech-only", action="store_true", help="ignore predicted thoughts")
    args = ap.parse_args()
    tp = fp = fn = 0
    unaligned = 0
    rows = []
    for ann in sorted((LITBANK / "quotations").glob("*_brat.ann")):
        work = ann.name[: -len("_brat.ann")]
        if args.work not in work:
            continue
        original = (LITBANK / "original" / f"{work}.txt").read_text(encoding="utf-8")
        story = fabula.analyze(original)
        text = story.text
        sents, quotes = gold_quotes(work)
        amap = align(text, sents)
        if not amap:
            continue
        lo = min(s for s, _ in amap.values())
        hi = max(e for _, e in amap.values())
        gold: list[tuple[int, int]] = []
        for s0, t0, s1, t1 in quotes:
            a, b = amap.get((s0, t0)), amap.get((s1, t1))
            if a is None or b is None:
                unaligned += 1
                continue
            gold.append((a[0], b[1]))
        pred = [
            (q.start_char, q.end_char)
            for q in story.layer("quotes")
            if q.end_char > lo
            and q.start_char < hi
            and not getattr(q, "nested", False)
            and not (args.speech_only and getattr(q, "kind", "") == "thought")
        ]
        n, used_p, used_g = _match(pred, gold)
        w_fp, w_fn = len(pred) - n, len(gold) - n
        tp, fp, fn = tp + n, fp + w_fp, fn + w_fn
        rows.append((work, len(gold), n, w_fp, w_fn))
        if args.show_errors:
            shown = 0
            for gi, (s, e) in enumerate(gold):
                if gi not in used_g and shown < args.show_errors:
                    print(f"  MISS {work[:20]} {text[s:e][:110]!r}")
                    shown += 1
            shown = 0
            for pi, (s, e) in enumerate(pred):
                if pi not in used_p and shown < args.show_errors:
                    print(f"  FP   {work[:20]} {text[s:e][:110]!r}")
                    shown += 1
    for work, g, n, w_fp, w_fn in rows:
        if w_fp or w_fn:
            print(f"{work[:40]:40} gold={g:4} tp={n:4} fp={w_fp:3} fn={w_fn:3}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    print(f"works={len(rows)} gold={tp + fn} predicted={tp + fp} unaligned_gold={unaligned}")
    print(f"precision={p:.4f} recall={r:.4f} F1={f:.4f}")


if __name__ == "__main__":
    main()
