"""MOBI and AZW3: a one-line how-to, or Calibre's ebook-convert when it is on the PATH."""

from __future__ import annotations

import shutil

import pytest

from fabula.errors import ReaderError
from fabula.readers import Format, detect_format, read_bytes

MOBI_HEAD = b"\0" * 60 + b"BOOKMOBI" + b"\0" * 100


def test_mobi_detected_by_content() -> None:
    assert detect_format(MOBI_HEAD, "renamed.bin") is Format.MOBI


def test_mobi_without_calibre_says_how_to_convert(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReaderError, match=r"E145.*MOBI.*ebook-convert"):
        read_bytes(MOBI_HEAD, "book.mobi")
    with pytest.raises(ReaderError, match=r"E145.*AZW3"):
        read_bytes(MOBI_HEAD, "book.azw3")


def test_mobi_conversion_failure_is_a_reader_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    fake = tmp_path / "ebook-convert"
    fake.write_text("#!/bin/sh\necho 'not a valid book' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(fake) if name == "ebook-convert" else None)
    with pytest.raises(ReaderError, match=r"E144.*not a valid book"):
        read_bytes(MOBI_HEAD, "book.mobi")


def test_mobi_converted_with_ebook_convert_reads_like_the_epub(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from tests.readers.helpers import fixture, story_texts

    epub = fixture("ao3-calibre.epub")
    fake = tmp_path / "ebook-convert"
    fake.write_text(f'#!/bin/sh\ncp "{epub}" "$2"\n')  # stands in for Calibre: "converts" to our EPUB
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(fake) if name == "ebook-convert" else None)
    s = read_bytes(MOBI_HEAD, "book.azw3")
    assert s.source.format == "mobi"
    assert s.metadata.work_id == "48151623"
    assert story_texts(s)[0].startswith('"How many did we lose?"')
