"""Distributional classes of capitalised words, learnt from unannotated novels (issue 3).

Usage (from the repository folder)::

    python -m train.clusters --litbank ../shared/litbank-dev --out fabula/data/clusters.tsv.gz

Every word written with a capital letter in mid-sentence at least ``min_count`` times in the
texts (LitBank's ``original/`` novels, public domain / CC BY 4.0) is described by the words
just before and after its uses (among the most frequent words), reduced by an SVD and grouped
by k-means (seeded) into ``k`` classes. Names fall together (they are said, they smile), and
so do places (in, to, from ...) and peoples; the mention model uses a word's class as a
feature, so a name it never saw in LitBank's annotations still looks like a name. Only words
and class numbers are shipped, no text. :func:`build` is also called per fold by
``python -m train.mentions --cv`` on the training works only, so that no test work's text
informs its own features.
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import Counter
from pathlib import Path

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_STOP_BEFORE = frozenset(".!?\"“‘'(")


def _contexts(texts: list[str]) -> tuple[Counter[str], dict[str, Counter[str]], Counter[str]]:
    words: Counter[str] = Counter()
    ctx: dict[str, Counter[str]] = {}
    caps: Counter[str] = Counter()
    for text in texts:
        toks = _TOKEN.findall(text)
        low = [t.lower() for t in toks]
        words.update(low)
        for i, t in enumerate(toks):
            if t[0].isupper() and i > 0 and toks[i - 1][0] not in _STOP_BEFORE and not (t.isupper() and len(t) > 1):
                w = low[i]
                caps[w] += 1
                c = ctx.setdefault(w, Counter())
                c["L:" + low[i - 1]] += 1
                if i > 1:
                    c["L2:" + low[i - 2]] += 1
                if i + 1 < len(toks):
                    c["R:" + low[i + 1]] += 1
                if i + 2 < len(toks):
                    c["R2:" + low[i + 2]] += 1
    return words, ctx, caps


def build(
    texts: list[str], *, k: int = 16, dims: int = 40, n_context: int = 400, min_count: int = 3, seed: int = 13
) -> dict[str, int]:
    """Word -> class number for the capitalised words of ``texts`` (deterministic for a seed)."""
    import numpy as np

    words, ctx, caps = _contexts(texts)
    vocab = [w for w, n in caps.items() if n >= min_count]
    vocab.sort()
    top = [w for w, _ in words.most_common(n_context)]
    feats = [p + w for p in ("L:", "L2:", "R:", "R2:") for w in top]
    col = {f: j for j, f in enumerate(feats)}
    x = np.zeros((len(vocab), len(feats)))
    for i, w in enumerate(vocab):
        for f, n in ctx[w].items():
            j = col.get(f)
            if j is not None:
                x[i, j] = n
    x = np.sqrt(x)
    x /= np.linalg.norm(x, axis=1, keepdims=True) + 1e-9
    u, s, _ = np.linalg.svd(x - x.mean(axis=0), full_matrices=False)
    z = u[:, :dims] * s[:dims]
    z /= np.linalg.norm(z, axis=1, keepdims=True) + 1e-9
    rng = np.random.default_rng(seed)
    centres = z[rng.choice(len(z), size=k, replace=False)]
    for _ in range(30):
        assign = np.argmax(z @ centres.T, axis=1)
        for c in range(k):
            members = z[assign == c]
            if len(members):
                v = members.mean(axis=0)
                centres[c] = v / (np.linalg.norm(v) + 1e-9)
    assign = np.argmax(z @ centres.T, axis=1)
    return {w: int(a) for w, a in zip(vocab, assign, strict=True)}


def write(table: dict[str, int], out: Path) -> None:
    """Write ``word<TAB>class`` lines, sorted, gzip with a fixed timestamp (reproducible bytes)."""
    body = "".join(f"{w}\t{c}\n" for w, c in sorted(table.items()))
    with gzip.GzipFile(out, "wb", mtime=0) as f:
        f.write(body.encode("utf-8"))


def original_texts(folder: Path, names: set[str] | None = None) -> list[str]:
    """The ``original/`` texts of a LitBank folder (only ``names`` when given), sorted by name."""
    paths = sorted((folder / "original").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths if names is None or p.stem in names]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--litbank", type=Path, default=Path("../shared/litbank-dev"))
    ap.add_argument("--out", type=Path, default=Path("fabula/data/clusters.tsv.gz"))
    ap.add_argument("--k", type=int, default=16)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    table = build(original_texts(args.litbank), k=args.k, seed=args.seed)
    write(table, args.out)
    print(f"wrote {args.out} ({len(table)} words, {args.k} classes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
