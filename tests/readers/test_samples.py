"""Acceptance over ../shared/formats/samples: AO3 HTML, EPUB and PDF agree; FanFicFare files read."""

from __future__ import annotations

import functools
import json
import shutil

import pytest

from fabula.readers import read_file
from tests.conftest import SAMPLES, need
from tests.readers.helpers import check_invariants, run_cli

AO3 = ["Downloadable.html", "Downloadable.epub", "Downloadable.pdf"]
FIELDS = ("title", "authors", "fandoms", "relationships", "characters", "additional_tags", "words")


@functools.cache
def _analyze(name: str) -> dict:
    path = need(SAMPLES / "ao3" / name)
    if name.endswith(".pdf") and shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = run_cli("analyze", str(path), timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _story_paragraphs(doc: dict) -> list[str]:
    skip = [(s["start"], s["end"]) for s in doc["layers"].get("paratext", []) + doc["layers"].get("scene_breaks", [])]
    return [
        p["text"]
        for p in doc["layers"]["paragraphs"]
        if not any(p["start"] < e and s < p["end"] for s, e in skip)
    ]


@pytest.mark.issue(5)
@pytest.mark.parametrize("name", AO3[1:])
def test_samples_ao3_formats_agree_with_the_html_download(name: str) -> None:
    ref = _analyze(AO3[0])
    doc = _analyze(name)
    for f in FIELDS:
        assert doc["metadata"][f] == ref["metadata"][f], f
    assert ref["metadata"]["title"] == "Downloadable" and ref["metadata"]["words"] == 1234
    assert ref["metadata"]["relationships"] == ["Character 1/Character 2", "Character 1 & Character 3"]
    titles = [c["title"] for c in doc["layers"]["chapters"]]
    assert titles == [c["title"] for c in ref["layers"]["chapters"]] == ["Chapter 1: The Beginning", "Chapter 2"]
    paras = _story_paragraphs(doc)
    assert paras == _story_paragraphs(ref)
    for note in ("A work summary.", "Beginning work notes.", "Chapter one summary.", "Chapter one end notes.",
                 "Work end notes."):
        assert note not in paras
        assert note in doc["text"]


@pytest.mark.issue(5)
def test_samples_ao3_calibre_epub_with_centred_breaks_and_wrong_opf_title() -> None:
    s = read_file(need(SAMPLES / "ao3" / "t2.epub"))
    h = read_file(need(SAMPLES / "ao3" / "Downloadable2.html"))
    assert s.metadata.title == "Downloadable" and s.metadata.authors == ("testuser",)
    assert [s.span_text(p) for p in s.story_paragraphs()] == [h.span_text(p) for p in h.story_paragraphs()]
    assert [s.span_text(b) for b in s.layer("scene_breaks")] == ["* * *", "~*~", "* * *"]
    assert [s.span_text(e) for e in s.layer("emphasis")] == ["What a strange day,", "Idiot"]
    check_invariants(s)


@pytest.mark.issue(5)
@pytest.mark.parametrize("suffix", ["epub", "html", "txt"])
def test_samples_fanficfare_read_with_metadata_and_chapters(suffix: str) -> None:
    s = read_file(need(SAMPLES / "fanficfare" / f"Test_Story_Title_1-tst1_1.{suffix}"))
    md = s.metadata
    assert md.title == "Test Story Title 1" and md.authors == ("Test Author aa",)
    assert md.characters == ("Bob Smith", "Fred Smythe", "George Johnson")
    assert md.relationships[1] == "Harry Potter/Ginny Weasley"
    assert md.fandoms[1] == "Harry Potter" and md.rating == "Tweenie" and md.words == 123456
    assert md.chapters == "9/?" and md.series == (("The Great Test", 1),)
    chapters = s.layer("chapters")
    assert len(chapters) == 9
    assert chapters[1].title == "Chapter 1, Xenos on Cinnabar" and chapters[-1].title == "Chapter 8"
    assert chapters[0].title.startswith("Prologue tests:[bare amp(&)")
    texts = [s.span_text(p) for p in s.story_paragraphs()]
    assert any(t.startswith("This is a fake adapter for testing purposes.") for t in texts)
    assert not any("Description tests" in t for t in texts)  # the summary is paratext
    check_invariants(s)


@pytest.mark.issue(5)
@pytest.mark.parametrize("name", ["Downloadable.mobi", "Downloadable.azw3"])
def test_samples_kindle_files_get_a_one_line_how_to(name: str) -> None:
    path = need(SAMPLES / "ao3" / name)
    if shutil.which("ebook-convert"):
        pytest.skip("Calibre is installed: the file is converted instead")
    out = run_cli("analyze", str(path))
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "ebook-convert" in out.stderr and ("AZW3" if name.endswith("azw3") else "MOBI") in out.stderr
