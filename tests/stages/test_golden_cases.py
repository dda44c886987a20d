"""Golden cases (tests/cases/*.json) for quotes, thoughts, structure and sentences (issue 2).

Each case runs as its own test, named by its label; a case marked ``"expect": "fail"`` is a
known failure and runs as a strict xfail, so that fixing it is noticed.
"""

from __future__ import annotations

from typing import Any

import pytest

import fabula
from fabula.model import Emphasis, Quote
from fabula.pipeline import Pipeline, default_pipeline
from fabula.readers.text import text_story
from fabula.stages.segment import split_sentences
from tests.cases import load_cases


def _analyze(case: dict[str, Any]) -> fabula.Story:
    if "emphasis" not in case:
        return fabula.analyze(case["text"])
    # as an HTML reader would: the text plus an emphasis layer, then the default pipeline
    story = text_story(case["text"])
    story = story.with_layer("emphasis", [Emphasis(s, e) for s, e in case["emphasis"]], stage="test")
    return default_pipeline()(story)


def _found(story: fabula.Story, q: Quote, entry: list[Any]) -> list[Any]:
    flag = "nested" if q.nested else "continued" if q.continued else None
    return [q.kind, story.span_text(q), flag, q.closed][: len(entry)]


@pytest.mark.issue(2)
@pytest.mark.parametrize("case", load_cases("quotes") + load_cases("thoughts") + load_cases("negative"))
def test_cases_quotes_and_thoughts(case: dict[str, Any]) -> None:
    story = _analyze(case)
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    expected = case["expected"]
    found = [_found(story, q, entry) for entry, q in zip(expected, quotes, strict=False)]
    assert [[q.kind, story.span_text(q)] for q in quotes] == [e[:2] for e in expected]
    assert found == expected
    if "warning" in case:
        assert any("unclosed" in w for w in story.warnings) == case["warning"]


@pytest.mark.issue(2)
@pytest.mark.parametrize("case", load_cases("structure"))
def test_cases_structure(case: dict[str, Any]) -> None:
    story = fabula.analyze(case["text"])
    expected = case["expected"]
    if "scene_breaks" in expected:
        assert [story.span_text(b).strip() for b in story.layer("scene_breaks")] == expected["scene_breaks"]
    if "paratext" in expected:
        assert [[getattr(p, "kind", ""), story.span_text(p)] for p in story.layer("paratext")] == expected["paratext"]
    if "chapters" in expected:
        assert [getattr(c, "title", None) for c in story.layer("chapters")] == expected["chapters"]
    if "scenes" in expected:
        assert len(story.layer("scenes")) == expected["scenes"]


@pytest.mark.issue(2)
@pytest.mark.parametrize("case", load_cases("sentences"))
def test_cases_sentences(case: dict[str, Any]) -> None:
    text = case["text"]
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == case["expected"]


def test_cases_pipeline_runs_structure_before_quotes() -> None:
    # the quote stage reads paratext and scene breaks: it must come after structure
    names = default_pipeline().names
    assert names.index("structure") < names.index("quotes")
    assert isinstance(default_pipeline(), Pipeline)
