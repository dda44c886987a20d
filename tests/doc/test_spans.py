"""Property tests: the span invariants of an analysed story, over arbitrary text (issue 2).

Every span of every layer lies in the text and slices back to the text the JSON gives for it;
tokens lie in order without overlaps, hold no white space, and cover every non-white-space
character exactly once; every token lies inside one sentence and every sentence inside one
paragraph; and ``Story.from_json(story.to_json()) == story``.
"""

from __future__ import annotations

import dataclasses
import json
from bisect import bisect_right

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fabula
from fabula.model import Alias, Character, Quote, Span, Story

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FICTION_PIECES = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ", min_size=1, max_size=10),
    st.sampled_from(
        [" ", " ", " ", "\n", "\n\n", "\t", "  ", ". ", "! ", "? ", ", ", "...", "\u2026", "'", "\u2019",
         '"', "\u201c", "\u201d", "\u2018", "~", "*", "_", "\u2014", " \u2014 ", "\u00ab", "\u00bb",
         "Mr. ", "A/N: ", "Disclaimer: I don't own this. ", "\n* * *\n", "\nxXx\n", "'em", "rock 'n' roll",
         '"Where are you going?" asked Marta. ', "~I wish I were home.~ ", "\u00a0", "\u2028", "\r\n", "é", "ß"]
    ),
)
FICTION = st.lists(FICTION_PIECES, min_size=1, max_size=80).map("".join)
ANY_TEXT = st.text(min_size=1, max_size=200)
STORY_TEXT = st.one_of(FICTION, ANY_TEXT).filter(lambda t: t.strip() != "")


def analysed(text: str) -> Story:
    return fabula.analyze(text)


def check_invariants(story: Story) -> None:
    text = story.text
    n = len(text)
    doc = json.loads(story.to_json())
    assert doc["schema"] == "fabula/1"
    assert doc["text"] == text
    for name, spans in story.layers.items():
        assert list(spans) == sorted(spans, key=lambda s: (s.start_char, -s.end_char)), name
        for span, d in zip(spans, doc["layers"][name], strict=True):
            assert 0 <= span.start_char <= span.end_char <= n, (name, span)
            assert d["text"] == text[d["start"] : d["end"]] == story.span_text(span)
    for name in ("paragraphs", "sentences", "quotes"):
        for span in story.layer(name):
            piece = story.span_text(span)
            assert piece and piece == piece.strip(), (name, piece)

    # tokens: in order, no overlap, no white space, and every other character in exactly one
    tokens = story.tokens
    assert tokens is not None
    prev = 0
    for s, e in zip(tokens.starts, tokens.ends, strict=True):
        assert prev <= s < e <= n
        assert not any(c.isspace() for c in text[s:e]), repr(text[s:e])
        assert text[prev:s].strip() == "", f"untokenised {text[prev:s]!r}"
        prev = e
    assert text[prev:].strip() == ""

    # containment: token in one sentence, sentence in one paragraph
    paras = story.layer("paragraphs")
    sents = story.layer("sentences")
    p_starts = [p.start_char for p in paras]
    s_starts = [s.start_char for s in sents]
    for s in sents:
        i = bisect_right(p_starts, s.start_char) - 1
        assert i >= 0 and paras[i].contains(s), (s, story.span_text(s))
    for p in paras:  # sentences tile their paragraph's words
        inside = [s for s in sents if p.contains(s)]
        covered = "".join(text[s.start_char : s.end_char] for s in inside)
        assert "".join(covered.split()) == "".join(story.span_text(p).split())
    for ts, te in zip(tokens.starts, tokens.ends, strict=True):
        i = bisect_right(s_starts, ts) - 1
        assert i >= 0 and sents[i].contains(Span(ts, te)), (ts, te, text[ts:te])


@SETTINGS
@given(text=STORY_TEXT)
def test_spans_invariants_hold_for_any_text(text):
    story = analysed(text)
    check_invariants(story)
    assert Story.from_json(story.to_json()) == story


@SETTINGS
@given(text=FICTION.filter(lambda t: t.strip() != ""), data=st.data())
def test_spans_round_trip_with_characters_and_speakers(text, data):
    story = analysed(text)
    chars = (
        Character(
            "wren", "Wren Alder", (Alias("Wren", 3), Alias("Alder", 1)), pronouns="she", first_char=0, speaks=True
        ),
        Character("tomas", "Tomas", (Alias("Tomas", 2),), pronouns="he", mentions=2),
        Character("gran", "Grandmother", (), mentioned_only=True),
    )
    ids = [c.id for c in chars]
    quotes = [
        dataclasses.replace(
            q,
            speaker=data.draw(st.sampled_from([None, *ids])),
            addressees=tuple(data.draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))),
            confidence=data.draw(st.floats(0, 1, allow_nan=False)),
        )
        for q in story.layer("quotes")
        if isinstance(q, Quote)
    ]
    story = story.with_characters(chars, stage="test").with_layer("quotes", quotes, stage="test")
    again = Story.from_json(story.to_json())
    assert again == story
    assert again.characters == chars
    assert Story.from_json(story.to_json(indent=2)) == story
