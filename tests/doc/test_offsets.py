"""Property tests: the reader's offset map sends every span back to the decoded source (issue 2)."""

from __future__ import annotations

import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fabula.offsets import Edit, MapBuilder, OffsetMap, unchanged_runs
from fabula.readers.text import text_story

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéøß", min_size=1, max_size=12)
PIECES = st.one_of(
    WORDS,
    st.sampled_from(["\r\n", "\r", "\n", "\n\n", " ", "  ", "\t", ".", ",", '"', "\u201c", "\u2019", "~", "*"]),
    st.sampled_from(["CafÃ©", "itâ€™s", "Ã  la", "â€œhiâ€\x9d", "Â£5"]),  # mojibake
    st.text(max_size=5),  # anything at all
)
SOURCES = st.tuples(st.booleans(), st.lists(PIECES, max_size=60)).map(
    lambda t: ("\ufeff" if t[0] else "") + "".join(t[1])
)


def assert_exact(m: OffsetMap, text: str, source: str) -> None:
    """The map is well formed and every stretch outside its edits is identical in both."""
    assert m.check(len(text), len(source)), m
    for start, end, src in unchanged_runs(m, len(text)):
        assert text[start:end] == source[src : src + end - start]


def assert_spans_map(m: OffsetMap, text: str, source: str, data: st.DataObject) -> None:
    """Any text span maps to a source span in bounds, and offsets map in order."""
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    s, e = m.to_source_span(a, b)
    assert 0 <= s <= e <= len(source)
    assert m.to_source(a) <= m.to_source(b)
    # a span inside one unchanged run maps to the same characters
    for start, end, _ in unchanged_runs(m, len(text)):
        if start <= a and b <= end:
            assert source[s:e] == text[a:b]
        if start <= a < end:  # and back again
            assert m.to_text(m.to_source(a)) == a


@SETTINGS
@given(source=SOURCES, data=st.data())
def test_offsets_reader_map_round_trips(source, data):
    story = text_story(source)
    text, m = story.text, story.source.offsets
    assert "\r" not in text
    assert not text.startswith("\ufeff")
    assert_exact(m, text, source)
    assert_spans_map(m, text, source, data)


@SETTINGS
@given(
    paras=st.lists(st.lists(WORDS, min_size=1, max_size=40).map(" ".join), min_size=2, max_size=8),
    width=st.integers(50, 90),
    eol=st.sampled_from(["\n", "\r\n"]),
    data=st.data(),
)
def test_offsets_hard_wrapped_text_is_recovered_exactly(paras, width, eol, data):
    source = "\n\n".join(textwrap.fill(p, width) for p in paras).replace("\n", eol)
    story = text_story(source)
    inner = sum(1 for p in paras if len(p) > width)  # paragraphs that were wrapped
    if inner >= 2:
        assert story.text == "\n\n".join(paras)
    assert_exact(story.source.offsets, story.text, source)
    assert_spans_map(story.source.offsets, story.text, source, data)


@st.composite
def edited(draw: st.DrawFn, base: str) -> tuple[str, OffsetMap]:
    """Apply random replacements to ``base``; return the new text and its map back to ``base``."""
    b = MapBuilder()
    pos = 0
    while pos < len(base):
        n = draw(st.integers(1, max(1, len(base) - pos)))
        if draw(st.booleans()):
            b.keep(base[pos : pos + n], pos)
        else:
            b.replace(draw(st.text(alphabet="XYZ", max_size=3)), pos, pos + n)
        pos += n
    if draw(st.booleans()):
        b.replace(draw(st.text(alphabet="XYZ", max_size=2)), pos, pos)
    return b.text, b.offsets()


@SETTINGS
@given(data=st.data(), source=st.text(alphabet="abcdef", max_size=40))
def test_offsets_composition_is_exact(data, source):
    middle, first = data.draw(edited(source))
    newer, second = data.draw(edited(middle))
    composed = first.then(second)
    assert_exact(first, middle, source)
    assert_exact(second, newer, middle)
    assert_exact(composed, newer, source)


def test_offsets_map_json_round_trip():
    m = OffsetMap.build([Edit(0, 1, 0, 0), Edit(5, 7, 4, 5)])
    assert OffsetMap.from_json(m.to_json()) == m


def test_offsets_check_rejects_overlaps():
    assert not OffsetMap((Edit(0, 4, 0, 2), Edit(2, 3, 1, 2))).check(10)


def test_offsets_quote_spans_map_back_to_the_file():
    """A quote found in the normalised text is the same words at its source span in the raw file."""
    import fabula

    paras = [
        '"You\'re late," said Tomas, not looking up from the nets, while the gulls argued over the '
        'harbour wall. "The tide won\'t wait for anyone, least of all for an apprentice who sleeps."',
        "~I could just go home,~ she thought, and did not move from the step where she had sat since noon.",
    ]
    source = "\ufeff" + "\r\n\r\n".join(textwrap.fill(p, 72).replace("\n", "\r\n") for p in paras * 3)
    story = fabula.analyze(source)
    quotes = story.layer("quotes")
    assert len(quotes) == 9
    for q in quotes:
        s, e = story.source_span(q)
        assert " ".join(source[s:e].split()) == " ".join(story.span_text(q).split())
