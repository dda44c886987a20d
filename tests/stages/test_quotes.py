"""The quotes stage: span invariants over arbitrary text, warnings, style detection (issue 2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fabula
from fabula.model import Quote
from fabula.stages.quotes import detect_style, story_paragraphs

# Text made of the characters that matter to the quote finder, and a few letters.
_PIECES = st.sampled_from(
    [
        "a", "b", "I", "em", "said", " ", " ", "\n", "\n\n", '"', "'", "\u201c", "\u201d", "\u2018", "\u2019",
        "\u00ab", "\u00bb", "\u201e", "~", "*", "_", "\u2014", "--", ",", ".", "?", "!", "5", "'n'", "* * *",
    ]
)  # fmt: skip
_TEXT = st.lists(_PIECES, min_size=1, max_size=60).map("".join).filter(lambda t: t.strip() != "")


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_quotes_spans_are_sound_on_any_text(text: str) -> None:
    story = fabula.analyze(text)
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    paras = story_paragraphs(story)
    for q in quotes:
        assert 0 <= q.start_char < q.end_char <= len(story.text)
        assert story.span_text(q).strip() == story.span_text(q)
        # a quote starts inside a story paragraph
        assert any(p.start_char <= q.start_char < p.end_char for p in paras)
    # quotes nest or stay apart: never a partial overlap
    for a in quotes:
        for b in quotes:
            if a is not b and a.overlaps(b):
                assert a.contains(b) or b.contains(a), (story.span_text(a), story.span_text(b))


@pytest.mark.issue(2)
def test_quotes_unclosed_warning_is_one_per_story() -> None:
    story = fabula.analyze('"One, she said.\n\nNarration.\n\n"Two, he said.\n\nMore narration.')
    warnings = [w for w in story.warnings if "unclosed" in w]
    assert len(warnings) == 1
    assert warnings[0].startswith("2 unclosed quote(s)")


def test_quotes_style_detection_single_and_double() -> None:
    assert "'" in detect_style("'Yes,' she said. 'No,' he said. 'Maybe.' 'Why?' 'Because.'")
    assert '"' in detect_style('"Yes," she said. "No," he said. They\'d \'em all.')


def test_quotes_skip_paratext_and_breaks() -> None:
    story = fabula.analyze('A/N: "Thanks" to everyone!\n\n"Hello," said Nell.\n\n* * *\n\n"Bye."')
    assert [story.span_text(q) for q in story.layer("quotes")] == ['"Hello,"', '"Bye."']


def test_quotes_thought_inside_speech_is_not_a_thought() -> None:
    story = fabula.analyze('"I said *never again*," Tom muttered.')
    assert [(q.kind, story.span_text(q)) for q in story.layer("quotes")] == [
        ("speech", '"I said *never again*,"')
    ]
