"""Golden cases (tests/cases/dialect.json, spelling.json) for voice normalisation and spelling (issue 6).

Each case is its own test, named by its label; ``"expect": "fail"`` runs as a strict xfail.
"""

from __future__ import annotations

from typing import Any

import pytest

import fabula
from tests.cases import load_cases


@pytest.mark.issue(6)
@pytest.mark.parametrize("case", load_cases("dialect"))
def test_cases_dialect(case: dict[str, Any]) -> None:
    story = fabula.analyze(case["text"])
    found = [[n.form, n.standard] for n in story.layer("normalizations")]
    assert found == case["expected"]


@pytest.mark.issue(6)
@pytest.mark.parametrize("case", load_cases("spelling"))
def test_cases_spelling(case: dict[str, Any]) -> None:
    story = fabula.analyze(case["text"])
    found = [[story.span_text(m), m.suggestion] for m in story.layer("misspellings")]
    assert found == case["expected"]
