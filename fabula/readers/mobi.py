"""MOBI and AZW3 (Kindle): converted with Calibre's ``ebook-convert`` when it is on the PATH.

fabula does not parse Kindle files itself. When Calibre is installed the book is converted
to EPUB in a temporary folder and read by :mod:`fabula.readers.epub` (so AO3's Kindle
downloads give the same story as its EPUB); otherwise one line says how to convert it.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from pathlib import Path

from fabula.errors import Errors, ReaderError
from fabula.model import Story
from fabula.readers import Format, register_reader

#: Seconds ebook-convert may take.
TIMEOUT = 300


def kind_of(raw: bytes, path: str) -> str:
    """``AZW3`` or ``MOBI``, from the suffix or the KF8 marker.

    >>> kind_of(b"", "x.azw3"), kind_of(b"", "x.mobi")
    ('AZW3', 'MOBI')
    """
    if path.lower().endswith((".azw3", ".azw", ".kf8")) or b"KF8" in raw[:4096]:
        return "AZW3"
    return "MOBI"


@register_reader(Format.MOBI)
def read_mobi(raw: bytes, path: str) -> Story:
    """Convert with ``ebook-convert`` when available, else raise a one-line how-to."""
    kind = kind_of(raw, path)
    exe = shutil.which("ebook-convert")
    if exe is None:
        raise ReaderError(Errors.E145.format(path=path, kind=kind))
    from fabula.readers.epub import read_epub

    with tempfile.TemporaryDirectory(prefix="fabula-") as tmp:
        src = Path(tmp) / ("book." + kind.lower())
        out = Path(tmp) / "book.epub"
        src.write_bytes(raw)
        try:
            done = subprocess.run([exe, str(src), str(out)], capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise ReaderError(Errors.E144.format(path=path, tool="ebook-convert", reason=str(e))) from e
        if done.returncode != 0 or not out.exists():
            tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            raise ReaderError(Errors.E144.format(path=path, tool="ebook-convert", reason=tail[0]))
        story = read_epub(out.read_bytes(), path)
    return story.replace(source=dataclasses.replace(story.source, format="mobi"))
