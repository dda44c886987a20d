"""The Story container: immutable text, typed layers, checked spans (issue 2)."""

from __future__ import annotations

import dataclasses

import pytest

from fabula.model import Paragraph, Paratext, Quote, SceneBreak, Span, Story, Tokens


def test_model_story_is_immutable():
    s = Story(text="abc")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.text = "xyz"  # type: ignore[misc]


def test_model_with_layer_sorts_and_records_provenance():
    s = Story(text="one two three")
    s2 = s.with_layer("paragraphs", [Paragraph(8, 13), Paragraph(0, 7)], stage="demo", version="2")
    assert [s2.span_text(p) for p in s2.layer("paragraphs")] == ["one two", "three"]
    assert s2.provenance["paragraphs"].stage == "demo"
    assert s2.provenance["paragraphs"].version == "2"
    assert not s.has("paragraphs") and s2.has("paragraphs")  # the original is unchanged


def test_model_layer_absent_is_empty():
    assert Story(text="x").layer("quotes") == ()


def test_model_with_warnings_drops_duplicates():
    s = Story(text="x").with_warnings("a", "b").with_warnings("a", "c")
    assert s.warnings == ("a", "b", "c")


def test_model_story_paragraphs_skip_paratext_and_breaks():
    text = "A/N: hi\n\nStory.\n\n* * *\n\nMore."
    s = Story(text=text)
    paras = [Paragraph(0, 7), Paragraph(9, 15), Paragraph(17, 22), Paragraph(24, 29)]
    s = s.with_layer("paragraphs", paras, stage="t")
    s = s.with_layer("paratext", [Paratext(0, 7, kind="author-note")], stage="t")
    s = s.with_layer("scene_breaks", [SceneBreak(17, 22, form="* * *")], stage="t")
    assert [s.span_text(p) for p in s.story_paragraphs()] == ["Story.", "More."]


def test_model_tokens_index_and_slice():
    t = Tokens.from_pairs([(0, 3), (4, 7), (8, 9)])
    assert len(t) == 3
    assert t[1] == Span(4, 7)
    assert t[1:] == [Span(4, 7), Span(8, 9)]
    assert list(t) == [Span(0, 3), Span(4, 7), Span(8, 9)]


def test_model_quote_defaults_match_the_schema():
    q = Quote(0, 5)
    assert (q.kind, q.speaker, q.addressees, q.confidence) == ("speech", None, (), 0.0)


def test_model_spans_are_half_open():
    assert Span(0, 3).overlaps(Span(2, 4))
    assert not Span(0, 3).overlaps(Span(3, 4))
    assert Span(0, 3).contains(Span(3, 3))
    assert len(Span(2, 5)) == 3
