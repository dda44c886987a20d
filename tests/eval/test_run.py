"""EvalResult: sums, folds by document, the table and the JSON."""

from __future__ import annotations

import pytest

from fabula.errors import PipelineError
from fabula.eval.metrics import PRF, Absent, Accuracy
from fabula.eval.run import EvalResult, pipeline_with, render_table
from fabula.pipeline import DEFAULT_STAGES


def result() -> EvalResult:
    return EvalResult(
        "litbank",
        "dir",
        [
            ("w1", {"quotes": PRF(1, 2, 1, 1), "speaker": Accuracy(1, 1)}),
            ("w2", {"quotes": PRF(2, 2, 2, 4), "speaker": Accuracy(0, 4)}),
            ("w3", {"quotes": PRF(0, 0, 0, 0), "speaker": Accuracy(1, 1), "mentions_all": Absent("mentions layer")}),
        ],
    )


def test_run_total_is_micro_average() -> None:
    t = result().total
    assert t["quotes"] == PRF(3, 4, 3, 5)
    assert t["speaker"] == Accuracy(2, 6)
    assert t["mentions_all"] == Absent("mentions layer")


def test_run_folds_by_document() -> None:
    folds = result().folds(2)
    assert [name for name, _ in folds] == ["fold 1/2", "fold 2/2"]
    assert folds[0][1]["speaker"] == Accuracy(2, 2)  # w1 + w3
    assert folds[1][1]["speaker"] == Accuracy(0, 4)  # w2


def test_run_table_rows() -> None:
    lines = render_table(result(), per_document=True).splitlines()
    assert lines[0] == "fabula eval litbank dir  (3 documents)"
    assert lines[2].split()[-5:] == ["0.750", "0.600", "0.667", "-", "5"]
    assert lines[3].split()[-2:] == ["0.333", "6"]
    assert lines[4].endswith("absent (mentions layer)")
    assert "w2" in lines


def test_run_json_same_figures() -> None:
    d = result().to_dict(per_document=True, folds=3)
    assert d["figures"]["quotes"] == {"precision": 0.75, "recall": 0.6, "f1": 0.6667, "n_pred": 4, "n_gold": 5}
    assert d["figures"]["speaker"] == {"accuracy": 0.3333, "correct": 2, "total": 6}
    assert d["figures"]["mentions_all"] == {"absent": "mentions layer"}
    assert list(d["per_document"]) == ["w1", "w2", "w3"] and len(d["folds"]) == 3


def test_run_pipeline_with_appends_stages() -> None:
    assert pipeline_with(()) is None
    p = pipeline_with(["quotes"])  # already there: unchanged
    assert p is not None and tuple(p.names) == DEFAULT_STAGES
    with pytest.raises(PipelineError, match="E001"):
        pipeline_with(["no-such-stage"])
