"""The structure stage and the sentence splitter: reader layers kept, scenes, sentence spans (issue 2)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fabula
from fabula.model import Paragraph, SceneBreak, Story
from fabula.pipeline import Pipeline
from fabula.stages.segment import split_sentences
from fabula.stages.structure import is_heading, is_scene_break

_STRUCTURE = Pipeline(["paragraphs", "structure"])


def test_structure_keeps_scene_breaks_a_reader_supplied() -> None:
    # an HTML reader turns <hr> into a break of its own; structure must not look again
    text = "One.\n\n* * *\n\nTwo."
    story = Story(text=text).with_layer("scene_breaks", [SceneBreak(0, 4, form="hr")], stage="reader")
    story = _STRUCTURE(story)
    assert [(b.start_char, b.end_char) for b in story.layer("scene_breaks")] == [(0, 4)]


def test_structure_scenes_skip_paratext_headings_and_breaks() -> None:
    text = (
        "Disclaimer: not mine.\n\nChapter 1\n\nFirst scene.\n\nStill first.\n\n* * *\n\nSecond scene."
        "\n\nChapter 2\n\nThird scene.\n\nA/N: bye!"
    )
    story = fabula.analyze(text)
    assert [story.span_text(s) for s in story.layer("scenes")] == [
        "First scene.\n\nStill first.",
        "Second scene.",
        "Third scene.",
    ]
    chapters = story.layer("chapters")
    assert [story.span_text(c).split("\n")[0] for c in chapters] == ["Chapter 1", "Chapter 2"]
    # the last chapter stops before the closing note
    assert story.span_text(chapters[-1]).endswith("Third scene.")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("xXxXx", True),
        ("o0o0o", True),
        ("0O0O0", True),
        ("- - -", True),
        ("Ooo", False),
        ("...", False),
        ("XXX", False),
        ("\u2042", True),
    ],
)
def test_structure_scene_break_shapes(line: str, expected: bool) -> None:
    assert is_scene_break(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [("Chapter 12 - The Fog", True), ("Book in hand, she left.", False), ("Epilogue", True), ("Part Two", True)],
)
def test_structure_heading_shapes(line: str, expected: bool) -> None:
    assert is_heading(line) is expected


_PARA = st.text(alphabet=st.sampled_from(list("ab Cd.!?\"'\u201d\u2014~*")), min_size=1, max_size=80)


@settings(max_examples=300, deadline=None)
@given(_PARA)
def test_segment_sentences_tile_the_paragraph(text: str) -> None:
    spans = split_sentences(text, 0, len(text))
    # sentences are in order, inside the paragraph, and cover all its non-space text
    pos = 0
    for s, e in spans:
        assert pos <= s < e <= len(text)
        assert text[pos:s].strip() == ""
        pos = e
    assert text[pos:].strip() == ""


def test_segment_sentences_stay_inside_paragraphs() -> None:
    story = fabula.analyze('"Stop!" she cried. He stopped.\n\nMr. Gray came. Then nobody.')
    paras = [p for p in story.layer("paragraphs") if isinstance(p, Paragraph)]
    for s in story.layer("sentences"):
        assert any(p.contains(s) for p in paras)
    assert [story.span_text(s) for s in story.layer("sentences")] == [
        '"Stop!" she cried.',
        "He stopped.",
        "Mr. Gray came.",
        "Then nobody.",
    ]
