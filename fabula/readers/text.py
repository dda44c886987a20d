"""Plain text and Markdown.

Decodes UTF-8 (with or without BOM), UTF-16 with BOM, and legacy 8-bit encodings
(detected with charset-normalizer); repairs mojibake (ftfy) paragraph by paragraph and
records it; turns CRLF / CR into LF; joins hard-wrapped lines (FanFicFare's TXT wraps at
78 columns) with spaces. Every change is kept in the offset map. Markdown emphasis stays
in the text as markup for the thought detector.

>>> s = text_story("Line one\\r\\nline two")
>>> s.text, s.source.offsets.to_source(9)
('Line one\\nline two', 10)
"""

from __future__ import annotations

import codecs
import re

from fabula.errors import Errors, ReaderError
from fabula.model import Source, Story
from fabula.offsets import Edit, MapBuilder, OffsetMap
from fabula.readers import Format, register_reader


def decode(raw: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode raw bytes; returns ``(text, encoding)``.

    >>> decode("café".encode("cp1252"))
    ('café', 'cp1252')
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise ReaderError(Errors.E105.format(path=path)) from e
    if b"\x00" in raw[:8192]:
        raise ReaderError(Errors.E104.format(path=path, what="it holds NUL bytes"))
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise ReaderError(Errors.E105.format(path=path))
    enc = best.encoding
    # charset-normalizer names cp1252 text "cp1252" or a close cousin; prefer cp1252 for Western text
    if enc in ("iso8859_1", "latin_1", "cp1250", "iso8859_15") and _decodes(raw, "cp1252"):
        enc = "cp1252"
    text = raw.decode(enc, errors="replace")
    if _looks_binary(text):
        raise ReaderError(Errors.E104.format(path=path, what="it has too many control characters"))
    return text, enc


def _decodes(raw: bytes, enc: str) -> bool:
    try:
        raw.decode(enc)
    except UnicodeDecodeError:
        return False
    return True


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return bad > max(8, len(sample) // 100)


_LINE_END = re.compile(r"\r\n?")


def _normalise_line_ends(text: str) -> tuple[str, OffsetMap]:
    if "\r" not in text:
        return text, OffsetMap()
    b = MapBuilder()
    pos = 0
    for m in _LINE_END.finditer(text):
        b.keep(text[pos : m.start()], pos)
        b.replace("\n", m.start(), m.end())
        pos = m.end()
    b.keep(text[pos:], pos)
    return b.text, b.offsets()


def is_hard_wrapped(text: str) -> bool:
    """True when lines are wrapped at a fixed width and paragraphs are split by blank lines.

    >>> is_hard_wrapped(("word " * 15 + "\\n") * 10)
    True
    """
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 8:
        return False
    lengths = sorted(len(ln.rstrip()) for ln in lines)
    width = lengths[int(len(lengths) * 0.9)]
    if not 40 <= width <= 100 or lengths[-1] > width + 25:
        return False
    near = sum(1 for n in lengths if width - 20 <= n <= width)
    blank_breaks = text.count("\n\n")
    return near >= 0.5 * len(lines) and blank_breaks >= 1


_WRAP_JOIN = re.compile(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)")


def _unwrap(text: str) -> tuple[str, OffsetMap]:
    """Join wrapped lines within blank-line paragraphs, replacing each newline by a space."""
    b = MapBuilder()
    pos = 0
    for m in _WRAP_JOIN.finditer(text):
        # Paragraphs are blank-line separated here, so a single newline inside one is a wrap.
        b.keep(text[pos : m.start()], pos)
        b.replace(" ", m.start(), m.end())
        pos = m.end()
    b.keep(text[pos:], pos)
    return b.text, b.offsets()


def _fix_mojibake(text: str) -> tuple[str, OffsetMap, list[str]]:
    """Repair mojibake paragraph by paragraph with ftfy (encoding fixes only)."""
    import ftfy

    if not re.search(r"[\u00c0-\u00ff][\u0080-\u00bf\u2018-\u203a\u20ac\u0152-\u017e]", text):
        return text, OffsetMap(), []
    b = MapBuilder()
    repairs: list[str] = []
    pos = 0
    for m in re.finditer(r"[^\n]+", text):
        seg = m.group()
        fixed = ftfy.fix_encoding(seg)
        if fixed != seg:
            b.keep(text[pos : m.start()], pos)
            b.replace(fixed, m.start(), m.end())
            pos = m.end()
            repairs.append(f"mojibake repaired: {seg[:30]!r} -> {fixed[:30]!r}")
    if not repairs:
        return text, OffsetMap(), []
    b.keep(text[pos:], pos)
    return b.text, b.offsets(), repairs


def text_story(decoded: str, *, encoding: str | None = None, fmt: str = "text") -> Story:
    """Normalise a decoded text into a Story: line ends, mojibake, hard wraps; offsets kept."""
    text = decoded[1:] if decoded.startswith("\ufeff") else decoded
    offsets = OffsetMap() if text is decoded else OffsetMap.build([Edit(0, 1, 0, 0)])
    repairs: list[str] = [] if text is decoded else ["byte-order mark removed"]
    text, m = _normalise_line_ends(text)
    if m.edits:
        repairs.append("line ends normalised to LF")
    offsets = offsets.then(m)
    text, m, fixes = _fix_mojibake(text)
    offsets = offsets.then(m)
    repairs += fixes
    if is_hard_wrapped(text):
        text, m = _unwrap(text)
        offsets = offsets.then(m)
        repairs.append("hard-wrapped lines joined")
    return Story(text=text, source=Source(format=fmt, encoding=encoding, offsets=offsets, repairs=tuple(repairs)))


@register_reader(Format.TEXT)
def read_text(raw: bytes, path: str) -> Story:
    """Read plain text."""
    decoded, enc = decode(raw, path)
    if not decoded.strip():
        raise ReaderError(Errors.E103.format(path=path))
    return text_story(decoded, encoding=enc, fmt=Format.TEXT.value)


@register_reader(Format.MARKDOWN)
def read_markdown(raw: bytes, path: str) -> Story:
    """Read Markdown: as text, its emphasis markers kept for the thought detector."""
    decoded, enc = decode(raw, path)
    if not decoded.strip():
        raise ReaderError(Errors.E103.format(path=path))
    return text_story(decoded, encoding=enc, fmt=Format.MARKDOWN.value)
