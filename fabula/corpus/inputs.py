"""Which works a corpus job covers: files, folders (recursed), globs, lists of paths, URLs.

Inputs are expanded lazily and in a stable order (each folder's entries sorted), so that a
job over millions of files never holds their list in memory and a rerun meets them in the
same order. A text file whose name ends in ``.list`` or that is given with an ``@`` before
its name (``@paths.txt``) lists one path or URL a line (``#`` starts a comment; relative paths
are read from the list's folder). URLs (``s3://...``, ``https://...``) are passed on as they are,
for fsspec to open on the workers.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "b.txt").write_text("B"); _ = (d / "a.md").write_text("A"); _ = (d / ".hidden").write_text("H")
>>> [pathlib.Path(p).name for p in iter_inputs([str(d)])]
['a.md', 'b.txt']
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from fabula.corpus.errors import CorpusError
from fabula.errors import Errors

#: Suffixes taken from folders (other files there are ignored); explicit files are always taken.
STORY_SUFFIXES = frozenset(
    {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub", ".pdf", ".mobi", ".azw3"}
)
_GLOB_CHARS = frozenset("*?[")


def is_url(s: str) -> bool:
    """True for ``scheme://...`` inputs (opened with fsspec), False for local paths.

    >>> is_url("s3://bucket/a.txt"), is_url("/tmp/a.txt")
    (True, False)
    """
    head, sep, _ = s.partition("://")
    return bool(sep) and head.isalnum() and len(head) > 1


def _walk(folder: Path) -> Iterator[str]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        raise CorpusError(Errors.E702.format(path=folder, reason=err.strerror or err)) from err
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=True):
            yield from _walk(Path(entry.path))
        elif os.path.splitext(entry.name)[1].lower() in STORY_SUFFIXES:
            yield entry.path


def _one(spec: str, base: Path | None = None) -> Iterator[str]:
    if is_url(spec):
        yield spec
        return
    if spec.startswith("@"):
        yield from _list(Path(spec[1:]))
        return
    p = Path(spec).expanduser()
    if base is not None and not p.is_absolute():
        p = base / p
    if any(c in spec for c in _GLOB_CHARS) and not p.exists():
        matches = sorted(glob.iglob(str(p), recursive=True))
        if not matches:
            raise CorpusError(Errors.E701.format(path=spec))
        for m in matches:
            mp = Path(m)
            if mp.is_dir():
                yield from _walk(mp.resolve())
            else:
                yield str(mp.resolve())
        return
    if p.is_dir():
        yield from _walk(p.resolve())
    elif p.suffix.lower() == ".list":
        yield from _list(p)
    elif p.exists():
        yield str(p.resolve())
    else:
        raise CorpusError(Errors.E701.format(path=spec))


def _list(path: Path) -> Iterator[str]:
    try:
        fh = path.open(encoding="utf-8")
    except OSError as e:
        raise CorpusError(Errors.E702.format(path=path, reason=e.strerror or e)) from e
    with fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                yield from _one(line, base=path.parent)


def check_inputs(specs: Iterable[str]) -> None:
    """Raise :class:`CorpusError` when an input does not exist (before any work starts)."""
    for spec in specs:
        if is_url(spec) or spec.startswith("@"):
            continue
        p = Path(spec).expanduser()
        if not p.exists() and not (any(c in spec for c in _GLOB_CHARS) and next(glob.iglob(str(p)), None)):
            raise CorpusError(Errors.E701.format(path=spec))


def iter_inputs(specs: Iterable[str]) -> Iterator[str]:
    """Every work the inputs name, as absolute paths or URLs, in a stable order (repeats included)."""
    for spec in specs:
        yield from _one(spec)
