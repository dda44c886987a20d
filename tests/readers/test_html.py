"""The HTML reader: AO3 downloads old and new, any web page, malformed and hostile markup."""

from __future__ import annotations

import time

import pytest

import fabula
from fabula.errors import ReaderError
from fabula.readers import Format, detect_format, read_bytes, read_file
from tests.readers.helpers import check_invariants, fixture, run_cli, story_texts

STORY = [
    '"How many did we lose?" asked Maren, pulling her scarf tight.',
    'Tobiah turned the ledger toward the lamp. "Forty rows of the Comice. Maybe more."',
    "I should have lit the smudge pots, she thought. I knew the wind had turned.",
    '"It isn\'t your fault," he said quietly.',
    "By morning the orchard was silver and silent.",
    "Maren found the old entries under a pressed leaf.",
    '"Grandmother wrote in the margins," she said. "Look at this."',
    "Why did she never tell me about the second orchard?",
    'Tobiah leaned closer. "Maybe she wanted you to find it yourself."',
]


@pytest.mark.issue(5)
@pytest.mark.parametrize("name", ["ao3-new.html", "ao3-legacy.html"])
def test_html_ao3_download_metadata_in_every_label_variant(name: str) -> None:
    s = read_file(fixture(name))
    md = s.metadata
    assert md.title == "The Orchard Keeper's Ledger"
    assert md.authors == ("pemberquill",)
    assert md.rating == "Teen And Up Audiences"
    assert md.warnings == ("No Archive Warnings Apply",)
    assert md.categories == ("F/M", "Gen")
    assert md.fandoms == ("Orchard Tales (Web Series)",)
    assert md.relationships == ("Maren Holt/Tobiah Vance", "Maren Holt & Ada Holt")
    assert md.characters == ("Maren Holt", "Tobiah Vance", "Ada Holt")
    assert md.additional_tags == ("Frost", "Found Family", "Letters")
    assert md.series == (("Seasons of the Holt Farm", 2),)
    assert md.collections == ("Harvest Exchange 2024",)
    assert (md.published, md.updated, md.completed) == ("2024-03-02", "2024-04-11", None)
    assert md.words == 1048 and md.chapters == "2/?"
    assert md.source_url == "https://archiveofourown.org/works/48151623" and md.work_id == "48151623"
    assert md.language == ("English" if name == "ao3-new.html" else None)
    assert story_texts(s) == STORY
    check_invariants(s)


@pytest.mark.issue(5)
def test_html_ao3_chapters_and_paratext_kept_out_of_the_story() -> None:
    s = read_file(fixture("ao3-new.html"))
    titles = [c.title for c in s.layer("chapters")]
    assert titles == ["Chapter 1: Frost on the Pears", "Chapter 2: What the Ledger Kept"]
    kinds = [(p.kind, s.span_text(p)) for p in s.layer("paratext")]
    assert ("summary", "Two keepers, one ledger, and a frost nobody saw coming.") in kinds
    assert ("notes", "My first story for this fandom. Be gentle!") in kinds
    assert ("summary", "Maren counts what the cold took.") in kinds
    assert ("end-notes", "Thank you for reading the first part!") in kinds
    assert ("end-notes", "Comments feed the orchard.") in kinds
    assert "Posted originally" not in s.text and "drop by the Archive" not in s.text
    assert "Teen And Up" not in s.text  # tags are metadata, not text
    old = read_file(fixture("ao3-legacy.html"))
    assert [c.title for c in old.layer("chapters")] == ["Frost on the Pears", "What the Ledger Kept"]


@pytest.mark.issue(5)
def test_html_ao3_download_dialogue_and_italic_thoughts_match_the_plain_text_twin() -> None:
    html = fabula.read(fixture("ao3-new.html"))
    txt = fabula.read(fixture("ao3-story.txt"))

    def found(s: fabula.Story) -> list[tuple[str, str]]:
        return [(q.kind, s.span_text(q).strip("_*~")) for q in s.layer("quotes")]

    got = found(html)
    assert got == found(txt)
    assert ("thought", "Why did she never tell me about the second orchard?") in got
    assert ("thought", "I should have lit the smudge pots,") in got
    assert sum(1 for k, _ in got if k == "speech") == 6


def test_html_offsets_and_origins_map_back_to_the_source() -> None:
    path = fixture("ao3-new.html")
    src = path.read_text(encoding="utf-8")
    s = read_file(path)
    for p in s.story_paragraphs():
        a, b = s.source.offsets.to_source_span(p.start_char, p.end_char)
        first_word = s.span_text(p).split()[0]
        assert src[a:b].startswith(first_word.replace("'", "&#39;")[:3])
    origins = {o[0]: o for o in s.source.origins}
    p = s.story_paragraphs()[0]
    assert origins[p.start_char][2].endswith("p:nth-of-type(1)")
    assert src[origins[p.start_char][3] :].startswith('"How many')


def test_html_generic_page_finds_the_main_text_and_drops_scripts_and_handlers() -> None:
    s = read_file(fixture("page.html"))
    texts = story_texts(s)
    assert texts[0].startswith('"How many did we lose?"')
    assert texts[-1].startswith("The frost lifted")
    for bad in ("Home", "Great story", "Copyright", "alert", "pwned", "steal", "color: red"):
        assert bad not in s.text
    assert [s.span_text(b) for b in s.layer("scene_breaks")] == ["* * *", "xXx"]
    assert s.metadata.authors == ("pemberquill",)
    out = run_cli("analyze", str(fixture("page.html")))
    assert out.returncode == 0
    assert "onclick" not in out.stdout and "<script" not in out.stdout and "alert(" not in out.stdout


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Unclosed <em>italics<p>Next paragraph</div></span>",
        "<html><body><p>One<p>Two</body></html></html></p>",
        "<p>Stray <  less-than and &bogus; entity &amp; <b>bold<i>mixed</b>up</i></p>",
        "<div><p>A <!-- unclosed comment",
        "<p>text</p><" + "a " * 5000,
        "<table><tr><td>cell one<td>cell two</table><p>after",
        "<p>" + "<div>" * 5000 + "deep</p>",
    ],
)
def test_html_malformed_markup_reads_without_error(markup: str) -> None:
    s = read_bytes(("<html><body>" + markup).encode(), "bad.html")
    assert s.text
    check_invariants(s)


def test_html_huge_single_chapter_reads_in_linear_time() -> None:
    para = "<p>" + "She walked on, and the road went with her. " * 40 + "</p>\n"
    raw = ("<html><body><div id='story'>" + para * 3000 + "</div></body></html>").encode()
    t0 = time.perf_counter()
    s = read_bytes(raw, "huge.html")
    took = time.perf_counter() - t0
    assert len(s.layer("paragraphs")) == 3000
    assert len(raw) > 5_000_000
    assert took < 20, f"{took:.1f}s for {len(raw):,} bytes"


@pytest.mark.issue(5)
def test_html_billion_laughs_fails_fast_with_exit_2(tmp_path) -> None:
    lol = tmp_path / "lol.xml"
    ents = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    lol.write_text(f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{ents}]><lolz>&lol9;</lolz>')
    t0 = time.perf_counter()
    out = run_cli("analyze", str(lol), limit_memory=True)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "[E140]" in out.stderr and "billion laughs" in out.stderr
    assert time.perf_counter() - t0 < 30
    with pytest.raises(ReaderError, match="E140"):
        read_bytes(lol.read_bytes(), "lol.xhtml")


def test_html_detect_format_by_content_not_suffix() -> None:
    assert detect_format(fixture("ao3-new.html").read_bytes(), "download.txt") is Format.HTML
    assert detect_format(b"<p>hi</p>", "x.htm") is Format.HTML


def test_html_declared_charset_is_honoured() -> None:
    raw = '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 au lait.</p></body></html>'
    s = read_bytes(raw.encode("cp1252"), "w.html")
    assert story_texts(s) == ["Café au lait."]


@pytest.mark.issue(5)
def test_html_ao3_single_chapter_work_by_two_creators() -> None:
    s = read_file(fixture("ao3-oneshot.html"))
    md = s.metadata
    assert md.authors == ("pemberquill", "quillmate") and md.chapters == "1/1" and md.words == 61
    assert md.warnings == ("Creator Chose Not To Use Archive Warnings",) and md.characters == ("Maren Holt",)
    chapters = s.layer("chapters")
    assert len(chapters) == 1 and chapters[0].title is None
    assert "Second Orchard" not in [s.span_text(p) for p in s.story_paragraphs()]
    assert story_texts(s) == STORY[5:]


def test_html_ao3_saved_web_page_reads_like_the_download() -> None:
    page = read_file(fixture("ao3-webpage.html"))
    dl = read_file(fixture("ao3-new.html"))
    assert page.metadata.__class__ is dl.metadata.__class__
    for field in ("title", "authors", "rating", "warnings", "categories", "fandoms", "relationships", "characters",
                  "additional_tags", "language", "series", "collections", "published", "updated", "words",
                  "chapters", "source_url", "work_id"):
        assert getattr(page.metadata, field) == getattr(dl.metadata, field), field
    assert story_texts(page) == STORY
    assert [c.title for c in page.layer("chapters")] == [c.title for c in dl.layer("chapters")]
    for furniture in ("Kudos", "kudos", "More please", "Chapter Text", "Main Content", "a project of the OTW"):
        assert furniture not in page.text
    check_invariants(page)


def test_html_inline_author_notes_and_disclaimers_in_chapter_text_are_paratext() -> None:
    raw = (
        b"<html><body><h2>One</h2><p>Disclaimer: I do not own Orchard Tales.</p><p>A/N: hello, readers!</p>"
        b"<p>She ran.</p><p>He ran.</p><p>AN: please review!</p><h2>Two</h2><p>(A/N: back again)</p>"
        b"<p>They ran.</p></body></html>"
    )
    s = read_bytes(raw, "notes.html")
    kinds = [(p.kind, s.span_text(p)) for p in s.layer("paratext") if p.kind != "title"]
    assert kinds == [
        ("disclaimer", "Disclaimer: I do not own Orchard Tales."),
        ("author-note", "A/N: hello, readers!"),
        ("author-note", "AN: please review!"),
        ("author-note", "(A/N: back again)"),
    ]
    assert story_texts(s) == ["She ran.", "He ran.", "They ran."]
