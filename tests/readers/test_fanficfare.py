"""FanFicFare files: HTML, EPUB and TXT, from FanFiction.Net and from AO3."""

from __future__ import annotations

import pytest

import fabula
from fabula.readers import Format, detect_format, read_file
from tests.readers.helpers import check_invariants, fixture, story_texts
from tests.readers.test_html import STORY


@pytest.mark.issue(5)
@pytest.mark.parametrize("name", ["fff-ffn.html", "fff-ffn.txt"])
def test_fanficfare_ffn_metadata_and_numbered_chapters(name: str) -> None:
    s = read_file(fixture(name))
    md = s.metadata
    assert md.title == "The Orchard Keeper's Ledger" and md.authors == ("Holt Fan",)
    assert md.fandoms == ("Orchard Tales",) and md.relationships == ("Maren H./Tobiah V.",)
    assert md.characters == ("Maren H.", "Tobiah V.", "Ada H.") and md.additional_tags == ("Drama", "Family")
    assert md.rating == "T" and md.words == 1048 and md.chapters == "2/2"
    assert md.completed == "2013-03-21 08:09:10" and md.work_id == "9312007"
    assert [c.title for c in s.layer("chapters")] == ["1. Frost on the Pears", "2. What the Ledger Kept"]
    assert [t.replace("_", "") for t in story_texts(s)] == STORY
    check_invariants(s)


def test_fanficfare_txt_is_detected_by_content_and_unwrapped() -> None:
    raw = fixture("fff-ffn.txt").read_bytes()
    assert b"\r\n" in raw
    assert detect_format(raw, "story.txt") is Format.FFF_TXT
    s = read_file(fixture("fff-ffn.txt"))
    assert "\r" not in s.text
    longest = max(story_texts(s), key=len)
    assert len(longest) > 78  # wrapped lines joined back into one paragraph


@pytest.mark.issue(5)
def test_fanficfare_txt_underscore_thoughts_are_found() -> None:
    s = fabula.read(fixture("fff-ffn.txt"))
    thoughts = [s.span_text(q) for q in s.layer("quotes") if q.kind == "thought"]
    assert "_Why did she never tell me about the second orchard?_" in thoughts


def test_fanficfare_txt_from_ao3_keeps_folded_notes_out_of_the_story() -> None:
    from fabula.readers import read_bytes

    lines = [
        "", "", "", "A Frosty Morning", "", "by pemberquill", "", "", "",
        "Category: Orchard Tales (Web Series)", "Status: Completed", "Chapters: 1",
        "Story URL: https://archiveofourown.org/works/48151623", "", "", "", "TABLE OF CONTENTS", "", "",
        "Frost", "", "", "", "", "        Frost", "", "",
        "**Author's Note:**", "", "> Thanks to my beta!", "",
        "Maren counted the rows.", "", "_Forty at least, maybe more,_ she thought.", "",
        "**Author's Note:**", "", "> More soon.", "", "", "", "End file.", "",
    ]
    s = read_bytes("\r\n".join(lines).encode(), "frost.txt")
    assert s.metadata.work_id == "48151623" and s.metadata.chapters == "1/1"
    assert [s.span_text(p) for p in s.story_paragraphs()] == [
        "Maren counted the rows.",
        "_Forty at least, maybe more,_ she thought.",
    ]
    kinds = [(p.kind, s.span_text(p)) for p in s.layer("paratext") if p.kind in ("notes", "end-notes")]
    assert kinds == [
        ("notes", "**Author's Note:**"),
        ("notes", "> Thanks to my beta!"),
        ("end-notes", "**Author's Note:**"),
        ("end-notes", "> More soon."),
    ]
