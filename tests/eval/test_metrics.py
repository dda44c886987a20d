"""Scoring arithmetic: P/R/F1 counts, one-to-one span matching, B-cubed."""

from __future__ import annotations

import pytest

from fabula.eval.metrics import PRF, Absent, Accuracy, add_figures, bcubed, exact_prf, half_overlap, match_spans
from fabula.model import Span


def test_metrics_prf_values_and_sum() -> None:
    p = PRF(2, 4, 2, 5) + PRF(1, 1, 1, 1)
    assert (p.precision, p.recall) == (0.6, 0.5)
    assert p.f1 == pytest.approx(2 * 0.6 * 0.5 / 1.1)
    assert p.to_dict() == {"precision": 0.6, "recall": 0.5, "f1": 0.5455, "n_pred": 5, "n_gold": 6}


def test_metrics_prf_empty_sides() -> None:
    assert (PRF(0, 0, 0, 3).precision, PRF(0, 0, 0, 3).recall) == (0.0, 0.0)
    assert PRF().f1 == 1.0  # nothing to find and nothing found
    assert PRF(0, 2, 0, 0).precision == 0.0


def test_metrics_accuracy_none_when_empty() -> None:
    assert Accuracy().value is None
    assert Accuracy(3, 4).to_dict() == {"accuracy": 0.75, "correct": 3, "total": 4}


def test_metrics_add_figures_keeps_present_over_absent() -> None:
    assert add_figures(Accuracy(1, 2), Absent("x")) == Accuracy(1, 2)
    assert add_figures(Absent("x"), Absent("x")) == Absent("x")
    with pytest.raises(TypeError):
        add_figures(Accuracy(1, 2), PRF(1, 1, 1, 1))


def test_metrics_half_overlap_rule() -> None:
    assert half_overlap(Span(0, 10), Span(5, 10))  # 5 of 10
    assert not half_overlap(Span(0, 10), Span(6, 10))  # 4 of 10
    assert not half_overlap(Span(0, 4), Span(4, 8))  # touching is no overlap


def test_metrics_match_spans_one_to_one_largest_first() -> None:
    gold = [Span(0, 10), Span(12, 20), Span(30, 40)]
    pred = [Span(0, 9), Span(1, 10), Span(12, 20), Span(50, 60)]
    assert match_spans(gold, pred) == [(0, 0), (1, 2)]  # (0, 9) overlaps 9, (1, 10) overlaps 9: first wins


def test_metrics_match_spans_with_accept() -> None:
    gold = [Span(0, 10)]
    pred = [Span(0, 10), Span(0, 10)]
    assert match_spans(gold, pred, accept=lambda g, p: p is pred[1]) == [(0, 1)]


def test_metrics_exact_prf_is_multiset() -> None:
    assert exact_prf([(0, 1), (0, 1), (2, 3)], [(0, 1), (2, 4)]) == PRF(1, 2, 1, 3)


def test_metrics_bcubed_hand_computed() -> None:
    # gold clusters {1,2,3} {4,5}; predicted {1,2} {3,4,5}
    b = bcubed(["A", "A", "A", "B", "B"], ["x", "x", "y", "y", "y"])
    # precision: 1, 1, 1/3, 2/3, 2/3 -> 11/3 / 5 ; recall: 2/3, 2/3, 1/3, 1, 1 -> 11/3 / 5
    assert b.precision == pytest.approx(11 / 15)
    assert b.recall == pytest.approx(11 / 15)


def test_metrics_bcubed_unassigned_items_are_singletons() -> None:
    b = bcubed(["A", "A"], [None, None])
    assert (b.precision, b.recall) == (1.0, 0.5)
