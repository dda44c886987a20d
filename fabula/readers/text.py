"""Plain text and Markdown.

Decodes UTF-8 (with or without BOM), UTF-16 / UTF-32 with BOM, and legacy 8-bit encodings
(charset-normalizer, with Windows-1252 preferred when it reads as well); repairs mojibake
(ftfy, encoding fixes only: curly quotes stay curly) and records it; turns CRLF / CR into LF;
joins hard-wrapped lines (FanFicFare's TXT wraps at 78 columns, Project Gutenberg at about 70)
with spaces, while one-line-per-paragraph text is left alone. Every change is kept in the
offset map (``story.source.offsets``), so any span maps back to the decoded file. Markdown
emphasis stays in the text as markup for the thought detector.

>>> s = text_story("Line one\\r\\nline two")
>>> s.text, s.source.offsets.to_source(9)
('Line one\\nline two', 10)
"""

from __future__ import annotations

import codecs
import re
from difflib import SequenceMatcher

from fabula.errors import Errors, ReaderError
from fabula.model import Source, Story
from fabula.offsets import Edit, MapBuilder, OffsetMap
from fabula.readers import Format, register_reader

# --------------------------------------------------------------------------------------------
# Decoding

_UTF16_32 = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
# Single-byte Latin code pages that charset-normalizer cannot tell from Windows-1252 on
# Western text (French comes back as cp1250: "très" -> "trčs"); cp1252 wins a tie with them.
_LATIN_FAMILY = frozenset(
    "cp1250 cp1252 cp1254 cp1257 cp1258 latin_1 iso8859_1 iso8859_2 iso8859_3 iso8859_4 iso8859_9 "
    "iso8859_10 iso8859_13 iso8859_14 iso8859_15 iso8859_16 mac_latin2 mac_roman mac_iceland "
    "mac_turkish cp437 cp850 cp852 cp858 cp775 hp_roman8".split()
)
# C0 controls mark binary data; C1 controls (U+0080-U+009F) are left out because mojibake
# is full of them ("â€\x9d" for a closing quote) and ftfy repairs it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(raw: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode raw bytes; returns ``(text, encoding)``.

    Raises :class:`ReaderError` for bytes that are binary or that no encoding reads.

    >>> decode("café".encode("cp1252"))
    ('café', 'cp1252')
    >>> decode(codecs.BOM_UTF16_LE + "hé".encode("utf-16-le"))
    ('hé', 'utf-16')
    """
    if raw.startswith(codecs.BOM_UTF8):
        return _strict(raw[3:], "utf-8", path), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) and len(raw) % 4 == 0:
        try:
            return raw.decode("utf-32"), "utf-32"
        except UnicodeDecodeError:
            pass  # FF FE 00 00 may also start UTF-16 text with a NUL; try that next
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(raw, "utf-16", path), "utf-16"
    head = raw[:8192]
    if b"\x00" in head:
        enc = _bomless_utf16(head)
        if enc is None:
            raise ReaderError(Errors.E104.format(path=path, what="it holds NUL bytes"))
        return _strict(raw, enc, path), enc
    try:
        text, enc = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        mixed = _mixed_utf8(raw)
        if mixed is not None:
            text, enc = mixed, MIXED_UTF8
        else:
            enc = _guess_legacy(raw, path)
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError as e:
                # cp1252 was judged on the first 256 KiB; a byte it leaves undefined further on
                # is read as Latin-1 (a C1 control) rather than failing the whole file.
                if enc != "cp1252":
                    raise ReaderError(Errors.E105.format(path=path)) from e
                text = raw.decode(enc, errors=MIXED_UTF8)
    if _looks_binary(text):
        raise ReaderError(Errors.E104.format(path=path, what="it has too many control characters"))
    return text, enc


def _strict(raw: bytes, enc: str, path: str) -> str:
    try:
        return raw.decode(enc)
    except UnicodeDecodeError as e:
        raise ReaderError(Errors.E105.format(path=path)) from e


#: The encoding name recorded for UTF-8 text with stray Windows-1252 bytes (a file edited by
#: two programs): each byte that is not UTF-8 is read as cp1252 (or Latin-1 where cp1252 has none).
MIXED_UTF8 = "utf-8+cp1252"
_UTF8_SEQ = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH = re.compile(rb"[\x80-\xff]")


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    b = err.object[err.start]
    try:
        return bytes([b]).decode("cp1252"), err.start + 1
    except UnicodeDecodeError:
        return chr(b), err.start + 1


codecs.register_error(MIXED_UTF8, _cp1252_fallback)


def _mixed_utf8(raw: bytes) -> str | None:
    """Decode mostly-UTF-8 bytes with a few Windows-1252 ones, or None when they are not that.

    >>> _mixed_utf8("café ".encode() + "naïve".encode("cp1252"))
    'café naïve'
    """
    valid = _UTF8_SEQ.findall(raw)
    if not valid:
        return None
    invalid = len(_HIGH.findall(raw)) - sum(len(v) for v in valid)
    if invalid > len(valid):
        return None
    return raw.decode("utf-8", errors=MIXED_UTF8)


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 without a BOM shows as NULs in every other byte (for Latin text); else None."""
    even, odd = head[0::2], head[1::2]
    n = max(1, len(head) // 2)
    if odd.count(0) > 0.4 * n and even.count(0) < 0.05 * n:
        return "utf-16-le"
    if even.count(0) > 0.4 * n and odd.count(0) < 0.05 * n:
        return "utf-16-be"
    return None


def _guess_legacy(raw: bytes, path: str) -> str:
    """The encoding of bytes that are not UTF-8 (and hold no NUL, so are not UTF-16/32)."""
    from charset_normalizer import from_bytes
    from charset_normalizer.md import mess_ratio

    best = from_bytes(raw, cp_exclusion=_UTF16_32).best()
    try:
        western: str | None = raw[:262144].decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None:
        if best is None or best.encoding in _LATIN_FAMILY:
            # Among Latin code pages, cp1252 unless it reads clearly worse (Polish in cp1252
            # shows as "Za¿ó³æ", full of symbols charset-normalizer calls a mess).
            if best is None or mess_ratio(western, 1.0) <= best.chaos + 0.01:
                return "cp1252"
        elif mess_ratio(western, 1.0) <= best.chaos:
            return "cp1252"
    if best is None:
        raise ReaderError(Errors.E105.format(path=path))
    return str(best.encoding)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    bad = len(_CONTROL.findall(sample))
    return bad > max(8, len(sample) // 100)


# --------------------------------------------------------------------------------------------
# Line ends and mojibake

_LINE_END = re.compile(r"\r\n?")


def _normalise_line_ends(text: str) -> tuple[str, OffsetMap]:
    if "\r" not in text:
        return text, OffsetMap()
    n_crlf = text.count("\r\n")
    if n_crlf == text.count("\r"):  # the common case: CRLF only, each 2 -> 1 characters
        find = text.find
        edits = []
        p = find("\r\n")
        k = 0
        while p >= 0:
            edits.append(Edit(p, p + 2, p - k, p - k + 1))
            k += 1
            p = find("\r\n", p + 2)
        return text.replace("\r\n", "\n"), OffsetMap(tuple(edits))
    edits = []
    shift = 0
    for m in _LINE_END.finditer(text):
        s, e = m.span()
        edits.append(Edit(s, e, s - shift, s - shift + 1))
        shift += e - s - 1
    return _LINE_END.sub("\n", text), OffsetMap(tuple(edits))


# A character that could start a UTF-8 sequence read as Latin-1 / cp1252 followed by one that
# could continue it ("Ã©", "â€™", "Ã " for "à"). Only lines with one go to ftfy.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u20ac\u0152-\u017e\u0192\u02c6\u02dc\u2122]|\u00c3 "
)
_LONG_LINE = 20_000


def fix_mojibake(text: str) -> tuple[str, OffsetMap, int, str]:
    """Repair mojibake line by line with ftfy (encoding fixes only; quotes are not uncurled).

    Returns ``(text, offsets, lines repaired, an example)``; each change is its own edit.

    >>> fixed, m, n, _ = fix_mojibake("“Itâ€™s fine,” she said.")
    >>> fixed, n, m.edits
    ('“It’s fine,” she said.', 1, (Edit(src_start=3, src_end=6, start=3, end=4),))
    """
    import ftfy

    if not _MOJIBAKE_HINT.search(text):
        return text, OffsetMap(), 0, ""
    b = MapBuilder()
    pos = 0
    repaired = 0
    example = ""
    done_to = -1
    for hint in _MOJIBAKE_HINT.finditer(text):
        if hint.start() < done_to:
            continue
        ls = text.rfind("\n", 0, hint.start()) + 1
        le = text.find("\n", hint.start())
        le = len(text) if le < 0 else le
        done_to = le
        line = text[ls:le]
        fixed = ftfy.fix_encoding(line)
        if fixed == line:
            continue
        repaired += 1
        if not example:
            example = f"{line[:40]!r} -> {fixed[:40]!r}"
        b.keep(text[pos:ls], pos)
        if len(line) > _LONG_LINE:
            b.replace(fixed, ls, le)
        else:
            for op, i1, i2, j1, j2 in SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes():
                if op == "equal":
                    b.keep(line[i1:i2], ls + i1)
                else:
                    b.replace(fixed[j1:j2], ls + i1, ls + i2)
        pos = le
    if not repaired:
        return text, OffsetMap(), 0, ""
    b.keep(text[pos:], pos)
    return b.text, b.offsets(), repaired, example


# --------------------------------------------------------------------------------------------
# Hard wraps

_MIN_WIDTH, _MAX_WIDTH = 40, 100
_SENTENCE_END = ".!?:;\"'”’»)]*_~"
_KEY_LINE = re.compile(r"[A-Z][\w ]{0,24}:\s")
_NOT_PROSE = re.compile(r"(?:#|>|[-*+] |\d{1,3}[.)] |\|)|\W*$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_DASHES = "-\u2010\u2013\u2014"


def wrap_width(text: str) -> int | None:
    """The column at which ``text`` is hard-wrapped, or None when it is not.

    Hard-wrapped text has almost no line longer than a fixed width, and most of its line
    breaks inside a paragraph fall where the next word would not have fitted. Text with one
    line per paragraph has long lines of every length, or no line break inside a paragraph.

    >>> wrap_width(("word " * 15 + "\\n") * 10)
    74
    >>> wrap_width("A short paragraph.\\n" * 10) is None
    True
    """
    return _wrap_breaks(text)[0]


def is_hard_wrapped(text: str) -> bool:
    """True when lines are wrapped at a fixed width (see :func:`wrap_width`).

    >>> is_hard_wrapped(("word " * 15 + "\\n") * 10)
    True
    """
    return wrap_width(text) is not None


def _wrap_breaks(text: str, known_width: int | None = None) -> tuple[int | None, list[int]]:
    """The wrap width and the indexes of the lines whose line break is a wrap.

    With ``known_width`` the text is taken as wrapped there, and only the breaks are found.
    """
    lines = text.split("\n")
    lengths = sorted(len(ln.rstrip()) for ln in lines if ln.strip())
    if known_width is not None:
        width = known_width
    else:
        if len(lengths) < 3:
            return None, []
        width = lengths[min(len(lengths) - 1, int(len(lengths) * 0.98))]
        if not _MIN_WIDTH <= width <= _MAX_WIDTH:
            return None, []
        if sum(1 for n in lengths if n > width + 10) > 0.02 * len(lengths):
            return None, []
    # paragraphs mostly set apart by blank lines (FanFicFare, Gutenberg)?
    blank_mode = len(_BLANK_LINE.findall(text)) >= 0.05 * len(lengths)
    inner = mid_sentence = 0
    breaks = []
    for i in range(len(lines) - 1):
        a, b = lines[i], lines[i + 1]
        if a and b and not a.isspace() and not b.isspace():
            inner += 1
            if _wraps(a, b, width, blank_mode):
                breaks.append(i)
                mid_sentence += a.rstrip()[-1] not in _SENTENCE_END
    # Wrapping cuts sentences anywhere; lines that all end a sentence are paragraphs, even
    # when they happen to be of one length.
    if known_width is None and (
        inner < 2 or len(breaks) < 0.6 * inner or mid_sentence < max(1, 0.2 * len(breaks))
    ):
        return None, []
    return width, breaks


def _wraps(a: str, b: str, width: int, blank_mode: bool) -> bool:
    """True when the break between line ``a`` and the next line ``b`` is a wrap, not a paragraph end."""
    if a[-1] in " \\" and a.endswith(("  ", "\\")):  # a Markdown hard break
        return False
    bs = b.lstrip()
    if len(b) - len(bs) > len(a) - len(a.lstrip()):  # an indented first line starts a paragraph
        return False
    if _NOT_PROSE.match(bs):  # headings, lists, block quotes, tables, rules
        return False
    a = a.rstrip()
    sp = bs.find(" ")
    need = len(a) + 1 + (sp if sp >= 0 else len(bs))
    if need > width - 8:  # the next word would not have fitted
        return True
    if _KEY_LINE.match(bs):  # "Rating: T" lines of a header
        return False
    if blank_mode and need > 0.75 * width:
        return True
    return need > 0.5 * width and a[-1] not in _SENTENCE_END


def unwrap(text: str, width: int | None = None) -> tuple[str, OffsetMap]:
    """Join the wrapped lines of ``text``, each wrap becoming one space (none after a dash).

    >>> t, m = unwrap("Some words here and\\nthere, it wraps at twenty.\\n\\nNext.", 20)
    >>> t, m.to_source(20)
    ('Some words here and there, it wraps at twenty.\\n\\nNext.', 20)
    """
    found, breaks = _wrap_breaks(text, width)
    return (text, OffsetMap()) if found is None else _join(text, breaks)


def _join(text: str, breaks: list[int]) -> tuple[str, OffsetMap]:
    lines = text.split("\n")
    starts = [0] * len(lines)
    pos = 0
    for i, ln in enumerate(lines):
        starts[i] = pos
        pos += len(ln) + 1
    parts: list[str] = []
    edits: list[Edit] = []
    kept = 0  # source offset up to which text has been copied
    shift = 0  # text offset - source offset
    for i in breaks:
        a, nxt = lines[i], lines[i + 1]
        ra = a.rstrip()
        s = starts[i] + len(ra)
        e = starts[i + 1] + len(nxt) - len(nxt.lstrip())
        # "Chalk-\nNewton" -> "Chalk-Newton": a dash at a wrap joins without a space
        dash = ra[-1] in _DASHES and ra[-2:-1].isalpha() and nxt.lstrip()[:1].isalnum()
        piece = "" if dash else " "
        parts.append(text[kept:s])
        parts.append(piece)
        edits.append(Edit(s, e, s + shift, s + shift + len(piece)))
        shift += len(piece) - (e - s)
        kept = e
    parts.append(text[kept:])
    return "".join(parts), OffsetMap(tuple(edits))


# --------------------------------------------------------------------------------------------
# The reader


def text_story(decoded: str, *, encoding: str | None = None, fmt: str = "text") -> Story:
    """Normalise a decoded text into a Story: BOM, line ends, mojibake, hard wraps; offsets kept.

    >>> s = text_story("\\ufeffCafÃ© noir.")
    >>> s.text, s.source.repairs[0], s.source.offsets.to_source(4)
    ('Café noir.', 'byte-order mark removed', 6)
    """
    repairs: list[str] = []
    offsets = OffsetMap()
    text = decoded
    if text.startswith("\ufeff"):
        text = text[1:]
        offsets = OffsetMap((Edit(0, 1, 0, 0),))
        repairs.append("byte-order mark removed")
    text, m = _normalise_line_ends(text)
    if m.edits:
        offsets = offsets.then(m)
        repairs.append(f"line ends normalised to LF ({len(m.edits)})")
    text, m, n, example = fix_mojibake(text)
    if n:
        offsets = offsets.then(m)
        repairs.append(f"mojibake repaired in {n} line(s), e.g. {example}")
    width, breaks = _wrap_breaks(text)
    if width is not None:
        text, m = _join(text, breaks)
        if m.edits:
            offsets = offsets.then(m)
            repairs.append(f"hard-wrapped lines joined (width {width}, {len(m.edits)} breaks)")
    return Story(text=text, source=Source(format=fmt, encoding=encoding, offsets=offsets, repairs=tuple(repairs)))


def _read(raw: bytes, path: str, fmt: Format) -> Story:
    decoded, enc = decode(raw, path)
    if not decoded.strip():
        raise ReaderError(Errors.E103.format(path=path))
    return text_story(decoded, encoding=enc, fmt=fmt.value)


@register_reader(Format.TEXT)
def read_text(raw: bytes, path: str) -> Story:
    """Read plain text."""
    return _read(raw, path, Format.TEXT)


@register_reader(Format.MARKDOWN)
def read_markdown(raw: bytes, path: str) -> Story:
    """Read Markdown: as text, its emphasis markers (``*x*``, ``_x_``) kept for the thought detector."""
    return _read(raw, path, Format.MARKDOWN)
