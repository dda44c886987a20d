"""Decoding story files: UTF-8 / UTF-16 / UTF-32 with BOMs, legacy 8-bit code pages, binary refusals (issue 2)."""

from __future__ import annotations

import codecs

import pytest

from fabula.errors import ReaderError
from fabula.readers import read_bytes
from fabula.readers.text import decode

# Original sentences, written for these tests.
FRENCH = "Le café était fermé. « Où es-tu ? » demanda Hélène, très inquiète, près de la fenêtre.\n"
ENGLISH = "\u201cYou\u2019re late,\u201d said Tomas \u2014 and the caf\u00e9 was closing\u2026\n"
SPANISH = "¿Dónde estás, niño? ¡Ven aquí! dijo la señora con una sonrisa.\n"
POLISH = "Zażółć gęślą jaźń. Wszyscy ludzie rodzą się wolni i równi w swojej godności.\n"
RUSSIAN = "Все люди рождаются свободными и равными. Она сказала: привет, мой друг.\n"
GREEK = "Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια.\n"


@pytest.mark.issue(2)
@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        (b"Plain ASCII.", "Plain ASCII.", "utf-8"),
        (ENGLISH.encode("utf-8"), ENGLISH, "utf-8"),
        (codecs.BOM_UTF8 + ENGLISH.encode("utf-8"), ENGLISH, "utf-8-sig"),
        (codecs.BOM_UTF16_LE + ENGLISH.encode("utf-16-le"), ENGLISH, "utf-16"),
        (codecs.BOM_UTF16_BE + ENGLISH.encode("utf-16-be"), ENGLISH, "utf-16"),
        (ENGLISH.encode("utf-32"), ENGLISH, "utf-32"),
        (ENGLISH.encode("utf-16-le"), ENGLISH, "utf-16-le"),  # no BOM: NULs in every other byte
        ("café".encode("cp1252"), "café", "cp1252"),
    ],
    ids=["ascii", "utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32-bom", "utf16le-no-bom", "cafe-cp1252"],
)
def test_text_encoding_unicode_and_short_cp1252(raw, text, encoding):
    assert decode(raw) == (text, encoding)


@pytest.mark.issue(2)
@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (FRENCH, "cp1252"),
        (FRENCH, "latin-1"),
        (ENGLISH, "cp1252"),
        (SPANISH, "cp1252"),
        (POLISH, "cp1250"),
        (RUSSIAN, "cp1251"),
        (GREEK, "cp1253"),
    ],
)
@pytest.mark.parametrize("repeat", [1, 6])
def test_text_encoding_legacy_code_pages_are_detected(text, encoding, repeat):
    source = text * repeat
    decoded, found = decode(source.encode(encoding))
    assert decoded == source, f"{encoding} read as {found}"


def test_text_encoding_read_bytes_records_the_encoding():
    story = read_bytes(FRENCH.encode("cp1252"), "story.txt")
    assert story.text == FRENCH
    assert story.source.encoding == "cp1252"
    assert story.source.sha256 is not None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"Some text\x00\x00\x01\x00more\x00text", r"\[E104\].*NUL bytes"),
        (bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 100, r"\[E104\].*control characters"),
        (bytes(range(0x80, 0x100)) * 4, r"\[E105\].*could not be decoded"),
        (b"Hello there " + bytes([0x81, 0x9D, 0xFF, 0xFE, 0x8F, 0x90]) * 50, r"\[E105\].*Convert it to UTF-8"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", r"\[E105\]"),  # a lone surrogate
        (codecs.BOM_UTF8 + b"caf\xe9", r"\[E105\]"),  # a UTF-8 BOM, then not UTF-8
    ],
    ids=["nul", "controls", "high-bytes", "undefined-cp1252", "bad-utf16", "bad-utf8-after-bom"],
)
def test_text_encoding_refuses_binary_and_undecodable(raw, message):
    with pytest.raises(ReaderError, match=message):
        decode(raw, "x.txt")


@pytest.mark.parametrize("raw", [b"", b"   \n\t\n", codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")])
def test_text_encoding_empty_input_is_refused(raw):
    with pytest.raises(ReaderError, match=r"\[E103\].*is empty"):
        read_bytes(raw, "empty.txt")


@pytest.mark.issue(2)
def test_text_encoding_utf8_with_stray_cp1252_bytes():
    """A UTF-8 file with a line pasted from a Windows-1252 editor: each part decodes as itself."""
    utf8 = "The caf\u00e9 was closed. \u201cNever mind,\u201d she said.\n"
    cp1252 = "And then \u2019twas over, na\u00efve as ever.\n"
    raw = utf8.encode("utf-8") * 3 + cp1252.encode("cp1252")
    story = read_bytes(raw, "mixed.txt")
    assert story.text == utf8 * 3 + cp1252
    assert story.source.encoding == "utf-8+cp1252"


def test_text_encoding_cp1252_file_is_not_taken_for_mixed_utf8():
    raw = (FRENCH * 3).encode("cp1252")
    assert decode(raw) == (FRENCH * 3, "cp1252")


def test_text_encoding_mojibake_heavy_dialogue_is_text_not_binary():
    import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

    line = "\u201cNo,\u201d she said. \u201cYes,\u201d he said. \u201cWhy?\u201d\n"
    broken = (line * 50).encode("utf-8").decode("sloppy-windows-1252")
    assert broken.count("\x9d") >= 150
    story = read_bytes(broken.encode("utf-8"), "story.txt")
    assert story.text == line * 50
    assert any(r.startswith("mojibake repaired in 50 line") for r in story.source.repairs)


def test_text_encoding_late_undefined_cp1252_byte_does_not_fail():
    raw = (FRENCH * 4000).encode("cp1252") + b"end \x81 of file.\n"
    assert len(raw) > 262144
    text, enc = decode(raw)
    assert enc == "cp1252"
    assert text.endswith("end \x81 of file.\n")
