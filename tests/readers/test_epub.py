"""The EPUB reader: AO3 (Calibre and pre-2019), FanFicFare, EPUB 3 with nav; zip bombs and friends."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from fabula.errors import ReaderError
from fabula.readers import read_bytes, read_file
from fabula.readers.epub import MAX_FILES, MAX_RATIO
from tests.readers.helpers import check_invariants, fixture, run_cli, story_texts
from tests.readers.test_html import STORY


@pytest.mark.issue(5)
@pytest.mark.parametrize("name", ["ao3-calibre.epub", "ao3-legacy.epub"])
def test_epub_ao3_reads_like_the_html_download(name: str) -> None:
    html = read_file(fixture("ao3-new.html" if name == "ao3-calibre.epub" else "ao3-legacy.html"))
    s = read_file(fixture(name))
    assert s.metadata.title == html.metadata.title
    for field in ("authors", "rating", "warnings", "categories", "fandoms", "relationships", "characters",
                  "additional_tags", "series", "words", "chapters", "source_url", "work_id", "language"):
        assert getattr(s.metadata, field) == getattr(html.metadata, field), field
    assert story_texts(s) == STORY
    assert [c.title for c in s.layer("chapters")] == [c.title for c in html.layer("chapters")]
    assert [s.span_text(e) for e in s.layer("emphasis")] == [html.span_text(e) for e in html.layer("emphasis")]
    assert len(s.layer("scene_breaks")) == 1  # Calibre's centred p.message inside the story
    check_invariants(s)


def test_epub_origins_name_the_split_file() -> None:
    s = read_file(fixture("ao3-calibre.epub"))
    first = s.story_paragraphs()[0]
    origin = next(o for o in s.source.origins if o[0] == first.start_char)
    assert origin[1] == "The_Orchard_Keepers_split_002.xhtml"


def test_epub3_nav_titles_and_spine_order() -> None:
    s = read_file(fixture("generic3.epub"))
    assert [c.title for c in s.layer("chapters")] == ["Frost on the Pears", "What the Ledger Kept"]
    assert story_texts(s) == STORY
    assert s.metadata.title == "The Orchard Keeper's Ledger" and s.metadata.language == "en"
    # the cover page before the first TOC entry is front matter, not story
    assert {p.kind for p in s.layer("paratext") if "novel" in s.span_text(p)} == {"header"}
    check_invariants(s)


@pytest.mark.issue(5)
def test_epub_fanficfare_ao3_notes_are_paratext() -> None:
    s = read_file(fixture("fff-ao3.epub"))
    md = s.metadata
    assert md.fandoms == ("Orchard Tales (Web Series)",)
    assert md.categories == ("F/M", "Gen") and md.additional_tags == ("Frost", "Found Family", "Letters")
    assert md.relationships == ("Maren Holt/Tobiah Vance", "Maren Holt & Ada Holt")
    assert md.chapters == "2/?" and md.work_id == "48151623" and md.words == 1048
    assert story_texts(s) == STORY
    kinds = {p.kind for p in s.layer("paratext") if "Thank you" in s.span_text(p)}
    assert kinds == {"end-notes"}


def _zip(files: dict[str, bytes], *, level: int = 9) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("mimetype", "application/epub+zip")
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.issue(5)
def test_epub_zip_bomb_fails_fast_with_exit_2(tmp_path) -> None:
    bomb = tmp_path / "bomb.epub"
    bomb.write_bytes(_zip({"META-INF/container.xml": b"x", "OEBPS/ch1.xhtml": b"\0" * (40 * 1024 * 1024)}))
    assert bomb.stat().st_size < 200_000
    t0 = time.perf_counter()
    out = run_cli("analyze", str(bomb), limit_memory=True)
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and "[E142]" in out.stderr and "zip bomb" in out.stderr
    assert f"{MAX_RATIO}:1" in out.stderr
    assert time.perf_counter() - t0 < 30


def test_epub_too_many_files_is_refused(tmp_path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        for i in range(MAX_FILES + 1):
            z.writestr(f"f{i}", b"")
    with pytest.raises(ReaderError, match=r"E142.*files"):
        read_bytes(buf.getvalue(), "many.epub")


@pytest.mark.issue(5)
def test_epub_not_a_zip_fails_with_exit_2(tmp_path) -> None:
    fake = tmp_path / "story.epub"
    fake.write_text("This is just text pretending to be an EPUB.\n")
    out = run_cli("analyze", str(fake), limit_memory=True)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "not a zip" in out.stderr


def test_epub_truncated_zip_is_a_reader_error() -> None:
    raw = fixture("ao3-calibre.epub").read_bytes()
    with pytest.raises(ReaderError):
        read_bytes(raw[: len(raw) // 2], "cut.epub")


@pytest.mark.issue(5)
def test_epub_billion_laughs_in_the_package_fails_fast(tmp_path) -> None:
    ents = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE p [<!ENTITY lol0 "lol">{ents}]>'
    opf = f'<?xml version="1.0"?>{doctype}<package><metadata>&lol9;</metadata></package>'
    container = (
        '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
        '<rootfiles><rootfile full-path="content.opf"/></rootfiles></container>'
    )
    book = tmp_path / "lol.epub"
    book.write_bytes(_zip({"META-INF/container.xml": container.encode(), "content.opf": opf.encode()}))
    out = run_cli("analyze", str(book), limit_memory=True)
    assert out.returncode == 2 and "[E140]" in out.stderr and out.stderr.count("\n") == 1


def test_epub_external_entity_is_never_resolved(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    chapter = f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]><html><body><p>&x;</p></body></html>'
    with pytest.raises(ReaderError, match="E140"):
        read_bytes(chapter.encode(), "ch.xhtml")


def test_epub_member_paths_cannot_escape() -> None:
    from fabula.readers.epub import safe_path

    assert safe_path("../../../etc/passwd") is None
    assert safe_path("/OEBPS/a.xhtml") == "OEBPS/a.xhtml"


def test_epub2_ncx_titles_and_stylesheet_italics() -> None:
    s = read_file(fixture("generic2.epub"))
    assert [c.title for c in s.layer("chapters")] == ["Frost on the Pears", "What the Ledger Kept"]
    assert story_texts(s) == STORY
    assert [s.span_text(e) for e in s.layer("emphasis")][-1] == "Why did she never tell me about the second orchard?"
    assert s.metadata.published == "2024-03-02" and s.metadata.authors == ("pemberquill",)
    check_invariants(s)
