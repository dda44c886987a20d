"""Readers: from a file (or a string) to a :class:`~fabula.model.Story` with a map back to the source.

Each reader is registered under a :class:`Format`. :func:`detect_format` looks at the
content first and the suffix second; :func:`read_file` checks the file (exists, not a
folder, not empty, not binary, not too large) and dispatches.

>>> detect_format(b"Once upon a time.", "story.txt")
<Format.TEXT: 'text'>
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

from fabula.errors import Errors, ReaderError
from fabula.model import Story


class Format(enum.StrEnum):
    """Input formats fabula reads."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    EPUB = "epub"
    PDF = "pdf"
    MOBI = "mobi"
    FFF_TXT = "fanficfare-txt"


Reader = Callable[[bytes, str], Story]
_READERS: dict[Format, Reader] = {}

#: Files larger than this are refused (a story is text; 256 MiB is a very long one).
MAX_BYTES = 256 * 1024 * 1024


def register_reader(fmt: Format) -> Callable[[Reader], Reader]:
    """Register a reader for ``fmt``: a function ``(raw bytes, path) -> Story``."""

    def deco(func: Reader) -> Reader:
        _READERS[fmt] = func
        return func

    return deco


_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg file"),
    (b"RIFF", "a RIFF (WAV/AVI/WebP) file"),
    (b"SQLite format 3", "an SQLite database"),
]


def detect_format(raw: bytes, path: str = "") -> Format:
    """Tell the format from the content, then the suffix."""
    head = raw[:4096]
    suffix = Path(path).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/epub+zip" in head[:100] or suffix == ".epub":
            return Format.EPUB
        return Format.EPUB if b"META-INF/container.xml" in raw[:65536] else _binary(path, "a zip archive")
    if head.startswith(b"%PDF"):
        return Format.PDF
    if head[60:68] in (b"BOOKMOBI", b"TEXtREAd"):
        return Format.MOBI
    for magic, what in _MAGIC:
        if head.startswith(magic):
            _binary(path, what)
    if suffix == ".epub":
        reason = "it is named .epub but is not a zip archive, so not an EPUB"
        raise ReaderError(Errors.E107.format(path=path, reason=reason))
    if suffix in (".mobi", ".azw3", ".azw", ".prc"):
        return Format.MOBI
    low = head.lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if low.startswith((b"<!doctype html", b"<html", b"<?xml")) or (b"<body" in low and b"</" in low):
        return Format.HTML
    if suffix in (".html", ".htm", ".xhtml"):
        return Format.HTML
    if suffix in (".md", ".markdown"):
        return Format.MARKDOWN
    if _is_fff_txt(raw[:16384]):
        return Format.FFF_TXT
    return Format.TEXT


def _is_fff_txt(head: bytes) -> bool:
    from fabula.readers.fanficfare import is_fff_txt

    return is_fff_txt(head.decode("utf-8", errors="replace"))


def _binary(path: str, what: str) -> Format:
    raise ReaderError(Errors.E104.format(path=path, what=what))


def read_file(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> Story:
    """Read a story file into a Story (no analysis yet)."""
    p = Path(path)
    name = str(path)
    if not name:  # Path("") is the current folder; an empty argument is no file at all
        raise ReaderError(Errors.E101.format(path=name))
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ReaderError(Errors.E101.format(path=name)) from None
    except (OSError, ValueError) as e:  # a path with a NUL byte is a ValueError
        raise ReaderError(Errors.E107.format(path=name, reason=getattr(e, "strerror", None) or str(e))) from e
    if stat.S_ISDIR(st.st_mode):
        raise ReaderError(Errors.E102.format(path=name))
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise ReaderError(Errors.E107.format(path=name, reason="it is a device or a socket, not a file"))
    if st.st_size > max_bytes:
        raise ReaderError(Errors.E106.format(path=name, size=st.st_size, limit=max_bytes))
    try:
        with p.open("rb") as f:
            raw = f.read(max_bytes + 1)  # a pipe has no size: cap what is read
    except OSError as e:
        raise ReaderError(Errors.E107.format(path=name, reason=e.strerror or str(e))) from e
    if len(raw) > max_bytes:
        raise ReaderError(Errors.E106.format(path=name, size=len(raw), limit=max_bytes))
    return read_bytes(raw, name)


def read_bytes(raw: bytes, path: str = "<bytes>") -> Story:
    """Read a story from raw bytes; ``path`` names it in messages and tells the suffix."""
    if not raw.strip():
        raise ReaderError(Errors.E103.format(path=path))
    fmt = detect_format(raw, path)
    _load_builtin_readers()
    reader = _READERS.get(fmt)
    if reader is None:
        opts = ", ".join(f.value for f in _READERS)
        raise ReaderError(Errors.E108.format(fmt=fmt.value, opts=opts))
    story = reader(raw, path)
    return story.replace(
        source=dataclasses.replace(story.source, path=path, sha256=hashlib.sha256(raw).hexdigest())
    )


def _load_builtin_readers() -> None:
    # plain text and Markdown; issue 5: e-books and fan-fiction downloads
    import fabula.readers.epub
    import fabula.readers.fanficfare
    import fabula.readers.html
    import fabula.readers.mobi
    import fabula.readers.pdf
    import fabula.readers.text  # noqa: F401
