"""The PDF reader: pdftotext -layout when poppler is installed, a clear message when it is not."""

from __future__ import annotations

import shutil

import pytest

from fabula.errors import ReaderError
from fabula.readers import read_file
from fabula.readers.pdf import paragraphs_of
from tests.conftest import SAMPLES, need
from tests.readers.helpers import check_invariants


def test_pdf_without_pdftotext_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    path = need(SAMPLES / "ao3" / "Downloadable.pdf")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReaderError, match=r"E143.*poppler-utils"):
        read_file(path)


@pytest.mark.issue(5)
def test_pdf_with_pdftotext_reads_ao3_metadata_chapters_and_notes() -> None:
    path = need(SAMPLES / "ao3" / "Downloadable.pdf")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    s = read_file(path)
    assert s.metadata.title == "Downloadable" and s.metadata.chapters == "2/2" and s.metadata.work_id == "12345"
    assert [c.title for c in s.layer("chapters")] == ["Chapter 1: The Beginning", "Chapter 2"]
    assert {p.kind for p in s.layer("paratext") if "notes" in s.span_text(p)} == {"notes", "end-notes"}
    assert s.source.origins[0][1] == "page 2"
    check_invariants(s)


def test_pdf_paragraphs_split_at_blank_lines_and_pages() -> None:
    assert paragraphs_of(["a", "b", "", "c", "d"], [1, 1, 1, 1, 2]) == [[0, 1], [3], [4]]
