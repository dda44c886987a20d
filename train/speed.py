"""Time the ``characters`` stage on about 1 MB of novel text (issue 3's speed check).

Usage: ``python -m train.speed --litbank ../shared/litbank-dev [--mb 1]``. Prints spaCy's bare
tokenizer throughput, the characters stage's own time and the whole default pipeline's
throughput on the same text, in tokens per second (tokens counted by the bare tokenizer).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import fabula
from fabula.pipeline import Pipeline, default_pipeline, get_stage
from fabula.readers.text import text_story


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--litbank", type=Path, default=Path("../shared/litbank-dev"))
    ap.add_argument("--mb", type=float, default=1.0)
    args = ap.parse_args(argv)
    parts, size = [], 0
    for p in sorted((args.litbank / "original").glob("*.txt")):
        t = p.read_text(encoding="utf-8")
        parts.append(t)
        size += len(t)
        if size >= args.mb * 1_000_000:
            break
    text = "\n\n".join(parts)
    import spacy

    nlp = spacy.blank("en")
    t0 = time.perf_counter()
    n_tok = len(nlp.tokenizer(text))
    t_tok = time.perf_counter() - t0
    names = default_pipeline().names
    story = Pipeline(names[: names.index("characters")])(text_story(text))
    t0 = time.perf_counter()
    get_stage("characters").func(story)
    t_char = time.perf_counter() - t0
    t0 = time.perf_counter()
    fabula.analyze(text)
    t_all = time.perf_counter() - t0
    print(f"text: {len(text):,} chars, {n_tok:,} spaCy tokens")
    print(f"spaCy bare tokenizer: {n_tok / t_tok:,.0f} tokens/s ({t_tok:.2f}s)")
    print(f"characters stage alone: {n_tok / t_char:,.0f} tokens/s ({t_char:.2f}s)")
    print(f"whole default pipeline: {n_tok / t_all:,.0f} tokens/s ({t_all:.2f}s) = {t_tok / t_all:.2f}x the tokenizer")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
