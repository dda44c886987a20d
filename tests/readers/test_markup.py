"""The markup layer under every HTML and EPUB reader: any input gives a valid story or a ReaderError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.errors import ReaderError
from fabula.readers.html import read_html
from fabula.readers.markup import Assembler, parse_html, walk_blocks
from tests.readers.helpers import check_invariants

PIECES = st.sampled_from(
    [
        "<p>", "</p>", "<div>", "</div>", "<em>", "</em>", "<i>", "</i>", "<br>", "<br/>", "<hr>", "<b>", "</b>",
        "<script>x()</script>", "<!--", "-->", "<", ">", "&amp;", "&#8217;", "&nbsp;", "&bogus;", "\n", "  ",
        "She said,", '"Hi."', " word ", "é", "<p align=center>", "* * *", "<h2>", "</h2>", "<li>", "<td>",
        "<![CDATA[x]]>", "<?php ?>", "<a href='x'>", "</a>", "\t",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=60))
def test_markup_any_input_reads_or_raises_reader_error(pieces: list[str]) -> None:
    raw = "".join(pieces).encode("utf-8")
    try:
        story = read_html(raw, "fuzz.html")
    except ReaderError:
        return
    check_invariants(story)
    assert "<script" not in story.text and "x()" not in story.text


@settings(max_examples=100, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40))
def test_markup_kept_text_is_identical_to_its_source_outside_edits(pieces: list[str]) -> None:
    src = "".join(pieces)
    asm = Assembler()
    for b in walk_blocks(parse_html(src)):
        asm.add_block(b)
    text = asm.text
    offsets = asm.offsets(len(src))
    assert offsets.check(len(text), len(src))
    pos = src_pos = 0
    for e in offsets.edits:
        assert text[pos : e.start] == src[src_pos : e.src_start]
        pos, src_pos = e.end, e.src_end
    assert text[pos:] == src[src_pos:]
