"""PDF: AO3's Calibre-made PDFs (and any other) through poppler's ``pdftotext -layout``.

``pdftotext`` must be installed (Debian/Ubuntu: ``apt install poppler-utils``; macOS:
``brew install poppler``); without it fabula says so in one line. ``-layout`` keeps AO3's
two-column tag list on one line per tag (without it every label comes before every value).

AO3 PDFs are recognised by the "Posted originally on the Archive of Our Own" line: the
tag rows become metadata (the wrapped Stats line is joined first), ``Summary``, ``Notes``,
``Chapter Summary``, ``Chapter Notes``, ``Chapter End Notes`` and ``End Notes`` sections become
paratext, chapter headings (``Chapter N: Title``, centred at the top of a page) become the
chapters layer. Paragraphs are runs of non-blank lines, joined with spaces. Italics are not
recovered from PDF, so thoughts set in italics are found in HTML and EPUB only.

>>> paragraphs_of(["   One line", "   and more.", "", "Two."])
[[0, 1], [3]]
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Sequence

from fabula.errors import Errors, ReaderError
from fabula.model import Metadata, Source, Story
from fabula.readers import Format, register_reader
from fabula.readers.ao3 import NOTE_LABELS, https, metadata_from_fields, work_id_of
from fabula.readers.markup import Assembler, Atom, Block

#: Seconds pdftotext may take.
TIMEOUT = 120
_LABEL_ROW = re.compile(r"^(\S[^:]{0,40}):\s{2,}(\S.*)$")
_DROP = re.compile(
    r"^(?:See the end of the (?:work|chapter) for more notes|Please drop by the Archive and comment.*"
    r"|Posted originally on the Archive of Our Own.*)$"
)
_HEADING = re.compile(r"^Chapter\s+\d+(?::\s.*)?$")


def pdftotext(raw: bytes, path: str) -> str:
    """The text of a PDF by ``pdftotext -layout`` (raises when poppler is missing or fails)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ReaderError(Errors.E143.format(path=path))
    try:
        done = subprocess.run(
            [exe, "-layout", "-enc", "UTF-8", "-", "-"], input=raw, capture_output=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ReaderError(Errors.E144.format(path=path, tool="pdftotext", reason=str(e))) from e
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise ReaderError(Errors.E144.format(path=path, tool="pdftotext", reason=reason[0]))
    return done.stdout.decode("utf-8", "replace")


def paragraphs_of(lines: Sequence[str], pages: Sequence[int] | None = None) -> list[list[int]]:
    """Runs of non-blank lines (as line indexes); a new page starts a new run."""
    out: list[list[int]] = []
    cur: list[int] = []
    for i, line in enumerate(lines):
        if cur and pages is not None and pages[i] != pages[cur[-1]]:
            out.append(cur)
            cur = []
        if line.strip():
            cur.append(i)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


@register_reader(Format.PDF)
def read_pdf(raw: bytes, path: str) -> Story:
    """Read a PDF through ``pdftotext -layout``; AO3 PDFs with their metadata and chapters."""
    text = pdftotext(raw, path)
    lines: list[str] = []
    starts: list[int] = []
    pages: list[int] = []
    pos = 0
    page = 1
    for line in text.split("\n"):
        while line.startswith("\f"):
            page += 1
            line = line[1:]
            pos += 1
        lines.append(line)
        starts.append(pos)
        pages.append(page)
        pos += len(line) + 1
    asm = Assembler()
    ao3 = any("Posted originally on the Archive of Our Own" in ln for ln in lines[:40])
    md = _ao3(lines, starts, pages, asm) if ao3 else _plain(lines, starts, pages, asm)
    story = asm.story(stage="reader")
    if not story.story_paragraphs():
        raise ReaderError(Errors.E109.format(path=path))
    src = Source(
        path=path,
        format="pdf",
        encoding="utf-8",
        offsets=asm.offsets(len(text)),
        repairs=("text laid out by pdftotext -layout; lines joined into paragraphs",),
        origins=tuple((s, f"page {pages[_line_at(starts, off)]}", "line", off) for s, _, _, off in asm.origins),
    )
    return story.replace(metadata=md, source=src)


def _line_at(starts: list[int], off: int) -> int:
    from bisect import bisect_right

    return max(0, bisect_right(starts, off) - 1)


def _add(asm: Assembler, lines: list[str], starts: list[int], idx: Sequence[int], kind: str | None) -> None:
    atoms: list[Atom] = []
    prev_end = None
    for i in idx:
        line = lines[i]
        lead = len(line) - len(line.lstrip())
        s = starts[i] + lead
        if prev_end is not None:
            atoms.append(Atom(" ", prev_end, s, verbatim=False))
        atoms.append(Atom(line.strip(), s, s + len(line.strip())))
        prev_end = s + len(line.strip())
    asm.add_block(Block(atoms), paratext=kind)


def _plain(lines: list[str], starts: list[int], pages: list[int], asm: Assembler) -> Metadata:
    for run in paragraphs_of(lines, pages):
        _add(asm, lines, starts, run, None)
    return Metadata()


def _ao3(lines: list[str], starts: list[int], pages: list[int], asm: Assembler) -> Metadata:
    # The first page: title, message, tag rows (a row's value may wrap onto indented lines).
    fields: list[tuple[str, list[str], str]] = []
    url = None
    i = 0
    while i < len(lines) and pages[i] == 1:
        line = lines[i]
        m = re.search(r"https?://\S*archiveofourown\.org/works/\d+", line)
        if m:
            url = https(m.group(0))
        row = _LABEL_ROW.match(line)
        if row:
            value = row.group(2).strip()
            j = i + 1
            while j < len(lines) and pages[j] == 1 and lines[j].strip() and not _LABEL_ROW.match(lines[j]):
                value += " " + lines[j].strip()
                j += 1
            plain = row.group(1).lower() in ("stats", "language", "series")
            tags = [] if plain else [t.strip() for t in value.split(", ")]
            fields.append((row.group(1), tags, value))
            i = j
            continue
        i += 1
    md = metadata_from_fields(fields)
    title = None
    authors: list[str] = []
    kind: str | None = None
    runs = [[i + k for k in run] for run in paragraphs_of(lines[i:], pages[i:])]
    while runs:
        idx = runs.pop(0)
        first = lines[idx[0]]
        stripped = " ".join(first.split())
        page_top = idx[0] == 0 or pages[idx[0] - 1] != pages[idx[0]] or lines[idx[0] - 1].startswith("\f")
        if title is None and pages[idx[0]] == 2 and page_top:
            title = stripped
            _add(asm, lines, starts, idx[:1], "title")
            if len(idx) > 1 and lines[idx[1]].strip().startswith("by "):
                authors = [a.strip() for a in re.split(r",\s*|\s+and\s+", lines[idx[1]].strip()[3:]) if a.strip()]
                _add(asm, lines, starts, idx[1:2], "header")
            continue
        if _DROP.match(stripped):
            continue
        label = NOTE_LABELS.get(stripped.lower())
        if label is not None and not first.startswith(" "):
            kind = label
            if idx[1:]:
                runs.insert(0, idx[1:])
            continue
        if page_top and (_HEADING.match(stripped) or _centred(first)):
            asm.start_chapter(stripped)
            _add(asm, lines, starts, idx[:1], "title")
            kind = None
            if idx[1:]:
                runs.insert(0, idx[1:])
            continue
        if kind is not None and first.startswith("    "):
            _add(asm, lines, starts, idx, kind)
            continue
        kind = None
        if not asm.chapters:
            asm.start_chapter(None)
        _add(asm, lines, starts, idx, None)
    import dataclasses

    return dataclasses.replace(
        md, title=title or md.title, authors=tuple(authors), source_url=url, work_id=work_id_of(url)
    )


def _centred(line: str) -> bool:
    lead = len(line) - len(line.lstrip())
    return lead >= 20
