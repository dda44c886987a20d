"""Build ``words.txt.gz``, the spelling vocabulary (issue 6), from permissively licensed sources.

Run once at build time, never at run time: ``python fabula/data/make_wordlist.py LITBANK_DIR``.
Sources (see README.md beside this file):

- Webster's Second International word list (1934, public domain), as shipped by the MIT-licensed
  ``english-words`` package (``web2``, lower case, letters only); its headwords carry no
  inflections, which :mod:`fabula.stages.spelling` adds by rule;
- word counts over LitBank's ``original/`` texts (public-domain novels; LitBank is CC BY 4.0):
  each form seen at least twice, with its count, to rank suggestions;
- ``modern_words.txt`` beside this file: words written by hand that a 1934 dictionary lacks.

Each output line is ``word`` or ``word<TAB>count``.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(litbank: Path, out: Path) -> int:
    """Write the word list; returns how many words it holds."""
    from english_words import get_english_words_set  # build-time only

    words: dict[str, int] = dict.fromkeys(get_english_words_set(["web2"], lower=True, alpha=True), 0)
    counts: Counter[str] = Counter()
    for f in sorted((litbank / "original").glob("*.txt")):
        counts.update(m.group().lower() for m in re.finditer(r"(?<!['\w])[A-Za-z]+(?![\w'])", f.read_text("utf-8")))
    for w, n in counts.items():
        if (n >= 2 and len(w) > 1) or w in ("a", "i"):
            words[w] = n
    for line in (HERE / "modern_words.txt").read_text("utf-8").split():
        words.setdefault(line.lower(), 0)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for w in sorted(words):
            fh.write(f"{w}\t{words[w]}\n" if words[w] else f"{w}\n")
    return len(words)


if __name__ == "__main__":
    n = build(Path(sys.argv[1]), HERE / "words.txt.gz")
    sys.stdout.write(f"{n} words\n")
