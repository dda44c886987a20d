"""Golden cases (tests/cases/dialect.json, spelling.json) for voice normalisation and spelling (issue 6).

Each case is its own test, named by its label; ``"expect": "fail"`` runs as a strict xfail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import fabula

CASES = Path(__file__).resolve().parent.parent / "cases"


def _load(name: str) -> list[Any]:
    data = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    assert data["schema"] == "fabula-cases/1"
    return [
        pytest.param(
            case,
            id=case["label"],
            marks=[pytest.mark.xfail(strict=True, reason=case["comment"])] if case["expect"] == "fail" else [],
        )
        for case in data["cases"]
    ]


@pytest.mark.issue(6)
@pytest.mark.parametrize("case", _load("dialect"))
def test_cases_dialect(case: dict[str, Any]) -> None:
    story = fabula.analyze(case["text"])
    found = [[n.form, n.standard] for n in story.layer("normalizations")]
    assert found == case["expected"]


@pytest.mark.issue(6)
@pytest.mark.parametrize("case", _load("spelling"))
def test_cases_spelling(case: dict[str, Any]) -> None:
    story = fabula.analyze(case["text"])
    found = [[story.span_text(m), m.suggestion] for m in story.layer("misspellings")]
    assert found == case["expected"]
