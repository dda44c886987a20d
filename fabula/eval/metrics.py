"""Scoring arithmetic: counts that add up across documents, span matching, B-cubed.

Every figure is kept as the counts behind it (:class:`PRF`, :class:`Accuracy`) so that a
corpus figure is the sum over its documents (micro-average), never an average of ratios.

>>> p = PRF(matched_pred=3, n_pred=4, matched_gold=3, n_gold=6)
>>> round(p.precision, 2), round(p.recall, 2), round(p.f1, 2)
(0.75, 0.5, 0.6)
>>> (Accuracy(1, 2) + Accuracy(2, 2)).value
0.75
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from fabula.model import Span


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts for precision / recall / F1.

    ``matched_pred`` of ``n_pred`` predictions are right and ``matched_gold`` of ``n_gold``
    gold items are found (the two differ for B-cubed, where they are sums of per-item
    scores). With nothing predicted precision is 0 (1 when there is no gold either).
    """

    matched_pred: float = 0
    n_pred: float = 0
    matched_gold: float = 0
    n_gold: float = 0

    @property
    def precision(self) -> float:
        """Share of predictions that are right."""
        if self.n_pred:
            return self.matched_pred / self.n_pred
        return 1.0 if not self.n_gold else 0.0

    @property
    def recall(self) -> float:
        """Share of gold items found."""
        if self.n_gold:
            return self.matched_gold / self.n_gold
        return 1.0 if not self.n_pred else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(
            self.matched_pred + other.matched_pred,
            self.n_pred + other.n_pred,
            self.matched_gold + other.matched_gold,
            self.n_gold + other.n_gold,
        )

    def to_dict(self) -> dict[str, Any]:
        """The figures and their counts, for JSON."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_pred": _num(self.n_pred),
            "n_gold": _num(self.n_gold),
        }


@dataclass(frozen=True, slots=True)
class Accuracy:
    """``correct`` right answers out of ``total``; the value is None when there is nothing to score."""

    correct: float = 0
    total: float = 0

    @property
    def value(self) -> float | None:
        """correct / total, or None when total is 0."""
        return self.correct / self.total if self.total else None

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    def to_dict(self) -> dict[str, Any]:
        """The figure and its counts, for JSON."""
        v = self.value
        acc = None if v is None else round(v, 4)
        return {"accuracy": acc, "correct": _num(self.correct), "total": _num(self.total)}


@dataclass(frozen=True, slots=True)
class Absent:
    """A figure that cannot be computed because the pipeline did not produce what it needs."""

    what: str

    def __add__(self, other: Absent) -> Absent:
        return self

    def to_dict(self) -> dict[str, Any]:
        """``{"absent": what}``."""
        return {"absent": self.what}


Figure = PRF | Accuracy | Absent


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else round(x, 4)


def add_figures(a: Figure, b: Figure) -> Figure:
    """Sum two figures of one metric; a present figure wins over an absent one.

    >>> add_figures(Absent("mentions"), Accuracy(1, 2))
    Accuracy(correct=1, total=2)
    """
    if isinstance(a, Absent):
        return b
    if isinstance(b, Absent):
        return a
    if isinstance(a, PRF) and isinstance(b, PRF):
        return a + b
    if isinstance(a, Accuracy) and isinstance(b, Accuracy):
        return a + b
    raise TypeError(f"cannot add {type(a).__name__} and {type(b).__name__}")


def overlap(a: Span, b: Span) -> int:
    """How many characters two spans share.

    >>> overlap(Span(0, 10), Span(5, 20))
    5
    """
    return max(0, min(a.end_char, b.end_char) - max(a.start_char, b.start_char))


def half_overlap(a: Span, b: Span) -> bool:
    """True when the spans overlap by at least half of the longer one (GOLD-FORMAT's quote match).

    >>> half_overlap(Span(0, 10), Span(0, 5)), half_overlap(Span(0, 10), Span(0, 4))
    (True, False)
    """
    ov = overlap(a, b)
    return ov > 0 and 2 * ov >= max(len(a), len(b))


def match_spans(
    gold: Sequence[Span],
    pred: Sequence[Span],
    *,
    accept: Callable[[Span, Span], bool] = half_overlap,
) -> list[tuple[int, int]]:
    """Pair gold and predicted spans one to one: ``[(gold index, pred index), ...]``.

    Candidate pairs overlap and pass ``accept``; the largest overlaps are paired first.
    Runs in about O((n + m) log m) for spans that do not nest deeply.

    >>> match_spans([Span(0, 10), Span(20, 30)], [Span(21, 30), Span(0, 4), Span(1, 10)])
    [(0, 2), (1, 0)]
    """
    order = sorted(range(len(pred)), key=lambda j: pred[j].start_char)
    starts = [pred[j].start_char for j in order]
    longest = max((len(p) for p in pred), default=0)
    cands: list[tuple[int, int, int]] = []
    for i, g in enumerate(gold):
        k = bisect_left(starts, g.start_char - longest)
        while k < len(order) and starts[k] < g.end_char:
            j = order[k]
            p = pred[j]
            ov = overlap(g, p)
            if (ov > 0 or (len(g) == 0 and g == p)) and accept(g, p):
                cands.append((-ov, i, j))
            k += 1
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in cands:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return sorted(pairs)


def exact_prf(gold: Sequence[tuple[int, int]], pred: Sequence[tuple[int, int]]) -> PRF:
    """P/R/F1 of exact span matches (multisets of ``(start, end)``).

    >>> exact_prf([(0, 3), (5, 8)], [(0, 3), (5, 9), (10, 12)])
    PRF(matched_pred=1, n_pred=3, matched_gold=1, n_gold=2)
    """
    tp = sum((Counter(gold) & Counter(pred)).values())
    return PRF(tp, len(pred), tp, len(gold))


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable | None]) -> PRF:
    """B-cubed precision / recall over items, given each item's gold and predicted cluster.

    A predicted cluster of None puts the item in a cluster of its own. The returned counts
    hold the sums of per-item precision and recall over the number of items.

    >>> b = bcubed(["a", "a", "b"], ["x", "x", "x"])
    >>> round(b.precision, 4), round(b.recall, 4)
    (0.5556, 1.0)
    """
    labels: list[Hashable] = [p if p is not None else ("__single__", i) for i, p in enumerate(pred)]
    both = Counter(zip(gold, labels, strict=True))
    g_size = Counter(gold)
    p_size = Counter(labels)
    p_sum = sum(n * n / p_size[p] for (_, p), n in both.items())
    r_sum = sum(n * n / g_size[g] for (g, _), n in both.items())
    n = len(gold)
    return PRF(p_sum, n, r_sum, n)
