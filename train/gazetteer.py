"""Build ``fabula/data/person_names.tsv``, the given-name and surname gazetteer (issue 3).

Run once at build time, never at run time::

    pip download names==0.3.0 --no-deps -d /tmp/names && tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python -m train.gazetteer /tmp/names/names-0.3.0/names --out fabula/data/person_names.tsv

The source lists are the 1990 US Census name-frequency files (public domain), as shipped by the
MIT-licensed ``names`` package. Each output line is ``name<TAB>kind`` with kind ``he`` or ``she``
(a given name, by its more frequent bearers) or ``sur`` (one of the most frequent surnames).

``python -m train.gazetteer --words fabula/data/english_lower.txt.gz`` writes the lower-case
entries of Webster's Second International word list (1934, public domain; from the MIT-licensed
``english-words`` package, needed at build time only): a capitalised word whose lower-case form
is a dictionary word (``Hope``, ``Hell``) is less likely a name than one that is not (``Aizen``).
"""

from __future__ import annotations

import argparse
from pathlib import Path


def _read(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def build(src: Path, out: Path, *, surnames: int) -> int:
    """Write the gazetteer; returns how many names it holds."""
    male = _read(src / "dist.male.first")
    female = _read(src / "dist.female.first")
    rows: dict[str, str] = {}
    for name in sorted(set(male) | set(female)):
        rows[name] = "he" if male.get(name, 0.0) >= female.get(name, 0.0) else "she"
    for k, name in enumerate(_read(src / "dist.all.last")):
        if k >= surnames:
            break
        rows.setdefault(name, "sur")
    lines = [f"{n}\t{k}" for n, k in sorted(rows.items())]
    out.write_text(
        "# 1990 US Census name frequencies (public domain) via the MIT-licensed `names` package; "
        "built by train/gazetteer.py\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    return len(lines)


def build_words(out: Path) -> int:
    """Write the lower-case dictionary words (3 to 14 letters), one a line, gzipped and reproducible."""
    import gzip

    from english_words import get_english_words_set  # build-time only

    words = sorted(
        w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower() and 3 <= len(w) <= 14
    )
    with gzip.GzipFile(out, "wb", mtime=0) as fh:
        fh.write(("\n".join(words) + "\n").encode("ascii"))
    return len(words)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Build fabula's person-name gazetteer.")
    ap.add_argument(
        "src", type=Path, nargs="?", help="the folder holding dist.male.first, dist.female.first, dist.all.last"
    )
    ap.add_argument("--out", type=Path, default=Path("fabula/data/person_names.tsv"))
    ap.add_argument("--surnames", type=int, default=5000)
    ap.add_argument("--words", type=Path, default=None, help="write the dictionary word list here instead")
    args = ap.parse_args(argv)
    if args.words:
        print(f"wrote {args.words} ({build_words(args.words)} words)")
        return 0
    n = build(args.src, args.out, surnames=args.surnames)
    print(f"wrote {args.out} ({n} names)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
