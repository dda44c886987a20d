"""FanFicFare downloads: EPUB, HTML and TXT, from FanFiction.Net, AO3 or any site FFF knows.

FanFicFare (FFF) writes a title page of ``Label: value`` entries (labels configurable, so
read loosely), one chapter per file (EPUB) or section (HTML, TXT), and folds AO3 notes into
the chapter text as ``div.fff_chapter_notes``; those become paratext here. Mapping (see
FORMATS.md §2): ``Category`` holds the fandoms, ``Genre`` the genres or AO3's additional tags
and categories, ``Relationships`` / ``Pairings`` / ``Ships`` the relationships; ``Status``
tells whether the work is complete. The TXT is hard-wrapped at 78 columns with CRLF line
ends, chapter titles indented, italics as ``_x_`` (kept in the text for the thought
detector), ``* * *`` for rules, and ends with ``End file.``.

>>> series_of("The Great Test [1]")
(('The Great Test', 1),)
>>> work_id_from_url("https://www.fanfiction.net/s/8067258/1/A-Title"), work_id_from_url("http://test1.com?sid=1")
('8067258', '1')
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator, Sequence

from fabula.errors import Errors, ReaderError
from fabula.model import Metadata, Source, Story
from fabula.readers import Format, register_reader
from fabula.readers.ao3 import https, words_of
from fabula.readers.markup import Assembler, Atom, Block, Element, Styles, Text, walk_blocks

AO3_CATEGORIES = frozenset(("Gen", "F/M", "M/M", "F/F", "Multi", "Other"))
_LABEL_KEYS = {
    "series": "series",
    "category": "fandoms",
    "categories": "fandoms",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "genre": "genre",
    "genres": "genre",
    "language": "language",
    "characters": "characters",
    "relationships": "relationships",
    "pairings": "relationships",
    "ships": "relationships",
    "status": "status",
    "published": "published",
    "updated": "updated",
    "rating": "rating",
    "warnings": "warnings",
    "chapters": "chapters",
    "words": "words",
    "summary": "summary",
    "description": "summary",
    "freeform tags": "additional_tags",
    "additional tags": "additional_tags",
    "collections": "collections",
    "story url": "story_url",
    "author url": "author_url",
    "series url": "series_url",
}


def series_of(value: str) -> tuple[tuple[str, int | None], ...]:
    """``Name [N]`` series entries."""
    out: list[tuple[str, int | None]] = []
    for piece in (p.strip() for p in value.split(", ") if p.strip()):
        m = re.match(r"(.+?)\s*\[(\d+)\]$", piece)
        out.append((m.group(1), int(m.group(2))) if m else (piece, None))
    return tuple(out)


def work_id_from_url(url: str | None) -> str | None:
    """The story id in an AO3, FanFiction.Net or FFF-style URL."""
    if not url:
        return None
    for rx in (r"/works/(\d+)", r"/s/(\d+)", r"[?&](?:sid|storyid|id)=(\d+)"):
        m = re.search(rx, url)
        if m:
            return m.group(1)
    return None


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(", ") if v.strip())


def metadata_from_entries(
    entries: Iterable[tuple[str, str]],
    *,
    title: str | None,
    authors: Sequence[str],
    url: str | None,
    base: Metadata | None = None,
) -> Metadata:
    """Metadata from FFF's ``(label, value)`` title-page entries."""
    md: dict[str, object] = {}
    extra: dict[str, str] = dict(base.extra) if base else {}
    status = ""
    genres: tuple[str, ...] = ()
    for label, value in entries:
        key = _LABEL_KEYS.get(" ".join(label.strip().rstrip(":").lower().split()))
        value = " ".join(value.split())
        if key is None:
            extra[label.strip().rstrip(":")] = value
        elif key == "series":
            md["series"] = series_of(value)
        elif key in ("fandoms", "characters", "relationships", "warnings", "collections", "additional_tags"):
            md[key] = _split(value)
        elif key == "genre":
            genres = _split(value)
        elif key == "status":
            status = value
            extra["status"] = value
        elif key in ("published", "updated", "language"):
            md[key] = value or None
        elif key == "rating":
            md["rating"] = value or None
        elif key == "words":
            md["words"] = words_of(value)
        elif key == "chapters":
            md["chapters"] = value
        elif key == "story_url":
            url = url or value
        elif key in ("author_url", "series_url"):
            extra[key] = value
    cats = tuple(g for g in genres if g in AO3_CATEGORIES)
    if cats:
        md["categories"] = cats
    tags = tuple(g for g in genres if g not in AO3_CATEGORIES)
    md["additional_tags"] = tuple(dict.fromkeys((*tags, *md.get("additional_tags", ()))))  # type: ignore[misc]
    complete = status.lower().startswith("complete")
    if complete:
        md["completed"] = md.get("updated") or md.get("published")
    n = md.get("chapters")
    if isinstance(n, str) and n.isdigit():
        md["chapters"] = f"{n}/{n}" if complete else f"{n}/?"
    if url and "archiveofourown.org" in url:
        url = https(url)
    extra["generator"] = "FanFicFare"
    md.update(
        title=title,
        authors=tuple(a for a in authors if a),
        source_url=url,
        work_id=work_id_from_url(url),
        extra=tuple(extra.items()),
    )
    return dataclasses.replace(base or Metadata(), **md)  # type: ignore[arg-type]


# --- HTML and EPUB ------------------------------------------------------------------------


def is_fff_html(root: Element) -> bool:
    """True for FanFicFare's HTML: an ``a.authorlink`` title and ``sectionNNNN`` anchors."""
    authorlink = root.find(lambda e: e.tag == "a" and e.has_class("authorlink"))
    if authorlink is None:
        return False
    return root.find(lambda e: e.tag == "a" and e.attrs.get("name", "").startswith("section")) is not None


def _is_notes(el: Element) -> bool:
    return el.has_class("fff_chapter_notes")


def _notes_kind(el: Element) -> str:
    label = el.find(lambda e: e.tag in ("b", "strong"))
    text = label.text().lower() if label is not None else ""
    if "summary" in text:
        return "summary"
    return "end-notes" if el.has_class("fff_foot_notes") else "notes"


def _runs(el: Element) -> Iterator[tuple[Element | None, Element]]:
    """Split an element's children into runs of ordinary content and FFF note blocks."""
    run: list[Element | Text] = []
    for c in el.children:
        if isinstance(c, Element) and _is_notes(c):
            if run:
                yield None, _wrap(el, run)
                run = []
            yield c, c
        else:
            run.append(c)
    if run:
        yield None, _wrap(el, run)


def _wrap(el: Element, children: list[Element | Text]) -> Element:
    w = Element("div", {}, el.start, el.part)
    w.parent = el.parent
    w.children = children
    return w


def add_content(el: Element, asm: Assembler, styles: Styles | None) -> None:
    """A chapter's content: story blocks, headings inside it and FFF notes as paratext."""
    for notes, part in _runs(el):
        if notes is not None:
            kind = _notes_kind(notes)
            for b in walk_blocks(notes, styles=styles):
                asm.add_block(b, paratext=kind)
            continue
        for b in walk_blocks(part, styles=styles):
            asm.add_block(b, paratext="title" if b.heading else None)


def _title_line(h: Element) -> tuple[str | None, list[str], str | None]:
    links = list(h.iter("a"))
    authors = [a.text() for a in links if a.has_class("authorlink")]
    title_a = next((a for a in links if not a.has_class("authorlink")), None)
    if title_a is not None:
        return title_a.text(), authors, title_a.attrs.get("href")
    t = h.text()
    m = re.match(r"(.+?)\s+by\s+(.+)$", t)
    return (m.group(1), [m.group(2)], None) if m else (t, authors, None)


def table_entries(table: Element) -> list[tuple[str, Element]]:
    """``(label, value cell)`` for each row of FFF's title-page table."""
    out: list[tuple[str, Element]] = []
    for tr in table.iter("tr"):
        cells = [c for c in tr.elements() if c.tag in ("td", "th")]
        if len(cells) >= 2:
            out.append((cells[0].text(), cells[1]))
    return out


def br_entries(div: Element) -> list[tuple[str, Element]]:
    """``(label, value)`` for ``<b>Label:</b> value<br/>`` entries (FFF's EPUB title page)."""
    out: list[tuple[str, Element]] = []
    label: str | None = None
    run: list[Element | Text] = []
    for c in div.children:
        if isinstance(c, Element) and c.tag in ("b", "strong") and c.text().endswith(":"):
            if label is not None:
                out.append((label, _wrap(div, run)))
            label, run = c.text(), []
        elif label is not None:
            run.append(c)
    if label is not None:
        out.append((label, _wrap(div, run)))
    return out


def title_page(
    h: Element | None, entries: list[tuple[str, Element]], asm: Assembler, styles: Styles | None
) -> tuple[str | None, list[str], str | None, list[tuple[str, str]]]:
    """Add the title and summary as paratext; return title, authors, URL and text entries."""
    title, authors, url = _title_line(h) if h is not None else (None, [], None)
    if h is not None:
        for b in walk_blocks(h, styles=styles):
            asm.add_block(b, paratext="title")
    rows: list[tuple[str, str]] = []
    for label, cell in entries:
        if label.strip().rstrip(":").lower() in ("summary", "description"):
            for b in walk_blocks(cell, styles=styles):
                asm.add_block(b, paratext="summary")
        rows.append((label, cell.text()))
    return title, authors, url, rows


def read_html_flow(root: Element, asm: Assembler, *, styles: Styles | None = None) -> Metadata:
    """Read FanFicFare's HTML: h1 title, the metadata table, then ``sectionNNNN`` chapters."""
    body = root.find(lambda e: e.tag == "body") or root
    h1 = body.find(lambda e: e.tag in ("h1", "h2", "h3"))
    table = body.find(lambda e: e.tag == "table")
    entries = table_entries(table) if table is not None else []
    title, authors, url, rows = title_page(h1, entries, asm, styles)
    in_story = False
    for el in _flat_children(body):
        if el is h1 or el is table:
            continue
        if isinstance(el, Element) and el.tag == "a" and el.attrs.get("name", "").startswith("section"):
            in_story = True
            asm.start_chapter(el.text())
            for b in walk_blocks(el, styles=styles):
                asm.add_block(b, paratext="title")
            continue
        if not in_story:
            continue
        if isinstance(el, Element):
            add_content(el, asm, styles)
        elif el.raw.strip():
            add_content(_wrap(body, [el]), asm, styles)
    return metadata_from_entries(rows, title=title, authors=authors, url=url)


def _flat_children(body: Element) -> list[Element | Text]:
    """Body children, looking through a single wrapping ``div``/``html``."""
    kids = [c for c in body.children if not (isinstance(c, Text) and not c.raw.strip())]
    if len(kids) == 1 and isinstance(kids[0], Element) and kids[0].tag in ("div", "html", "body"):
        return _flat_children(kids[0])
    return list(body.children)


def read_epub_docs(
    docs: Sequence[Element], asm: Assembler, styles: Styles | None, opf: Metadata
) -> Metadata:
    """Read FanFicFare's EPUB documents (title page, chapters; TOC and log pages skipped)."""
    rows: list[tuple[str, str]] = []
    title, authors, url = opf.title, list(opf.authors), opf.source_url
    for root in docs:
        body = root.find(lambda e: e.tag == "body") or root
        kind = body.classes
        if "fff_titlepage" in kind:
            h = body.find(lambda e: e.tag in ("h1", "h2", "h3"))
            table = body.find(lambda e: e.tag == "table")
            div = body.find(lambda e: e.tag == "div" and any(
                isinstance(c, Element) and c.tag == "b" for c in e.children))
            entries = table_entries(table) if table is not None else br_entries(div) if div is not None else []
            t, a, u, rows = title_page(h, entries, asm, styles)
            title, authors, url = t or title, a or authors, u or url
        elif "fff_chapter" in kind or not any(k.startswith("fff_") for k in kind):
            h = body.find(lambda e: e.has_class("fff_chapter_title"))
            if h is None and "fff_chapter" not in kind:
                continue
            asm.start_chapter(h.text() if h is not None else None)
            if h is not None:
                for b in walk_blocks(h, styles=styles):
                    asm.add_block(b, paratext="title")
            for c in body.children:
                if c is h:
                    continue
                if isinstance(c, Element):
                    add_content(c, asm, styles)
                elif c.raw.strip():
                    add_content(_wrap(body, [c]), asm, styles)
    return metadata_from_entries(rows, title=title, authors=authors, url=url, base=opf)


# --- TXT ----------------------------------------------------------------------------------

_TXT_HEAD = re.compile(r"\A(?:[ \t]*\r?\n)*(?P<title>[^\r\n]+)\r?\n\r?\nby (?P<author>[^\r\n]+)\r?\n")
_ENTRY = re.compile(r"^([A-Z][A-Za-z ]{1,30}):[ \t]?(.*)$")


def is_fff_txt(head: str) -> bool:
    """True for FanFicFare's TXT: a title, ``by Author``, entries and a TABLE OF CONTENTS.

    >>> is_fff_txt("\\r\\n\\r\\nT\\r\\n\\r\\nby A\\r\\n\\r\\nStatus: Completed\\r\\n\\r\\nTABLE OF CONTENTS\\r\\n")
    True
    """
    return bool(_TXT_HEAD.match(head)) and "TABLE OF CONTENTS" in head and bool(
        re.search(r"^(?:Packaged|Story URL|Status|Chapters|Words|Published):", head, re.M)
    )


@register_reader(Format.FFF_TXT)
def read_fff_txt(raw: bytes, path: str) -> Story:
    """Read FanFicFare's TXT: header entries, table of contents, then tab-indented chapter titles."""
    from fabula.readers.text import decode

    text, enc = decode(raw, path)
    lines = list(_lines(text))
    head = _TXT_HEAD.match(text)
    if head is None:
        raise ReaderError(Errors.E107.format(path=path, reason="it is not a FanFicFare TXT file"))
    asm = Assembler()
    i = 0
    while i < len(lines) and not lines[i][0].strip():
        i += 1
    _txt_para(asm, [lines[i]], "title")
    i += 1
    while i < len(lines) and not lines[i][0].strip():
        i += 1
    _txt_para(asm, [lines[i]], "header")
    i += 1
    # entries up to the table of contents; continuation lines join the previous entry
    entries: list[tuple[str, list[tuple[str, int]]]] = []
    while i < len(lines) and lines[i][0].strip() != "TABLE OF CONTENTS":
        line = lines[i]
        m = _ENTRY.match(line[0])
        if m and (not entries or entries[-1][0].lower() != "summary"):
            entries.append((m.group(1), [(m.group(2), line[1] + m.start(2))]))
        elif entries and (line[0].strip() or entries[-1][0].lower() == "summary"):
            entries[-1][1].append(line)
        i += 1
    for label, vlines in entries:
        if label.lower() == "summary":
            for para in _paragraphs(vlines):
                _txt_para(asm, para, "summary")
    i += 1
    # the table of contents: titles until the first indented line
    toc: list[str] = []
    while i < len(lines) and not re.match(r"^[ \t]{2,}\S", lines[i][0]):
        if lines[i][0].strip():
            toc.append(lines[i][0].strip())
        i += 1
    body = lines[i:]
    _txt_chapters(asm, body, toc)
    rows = [(label, " ".join(v for v, _ in vl)) for label, vl in entries]
    title, author = head.group("title").strip(), head.group("author").strip()
    md = metadata_from_entries(rows, title=title, authors=[author], url=None)
    story = asm.story(stage="reader")
    if not story.story_paragraphs():
        raise ReaderError(Errors.E109.format(path=path))
    extra = dict(md.extra)
    extra["source_kind"] = "fanficfare"
    src = Source(
        path=path,
        format=Format.FFF_TXT.value,
        encoding=enc,
        offsets=asm.offsets(len(text)),
        repairs=("line ends normalised to LF", "hard-wrapped lines joined"),
        origins=tuple(asm.origins),
    )
    return story.replace(metadata=dataclasses.replace(md, extra=tuple(extra.items())), source=src)


_TXT_NOTE = re.compile(r"^\*\*(Author's Note|Summary for the Chapter|Notes for the Chapter):?\*\*:?$")


def _lines(text: str) -> Iterator[tuple[str, int]]:
    pos = 0
    for m in re.finditer(r"\r\n|\r|\n", text):
        yield text[pos : m.start()], pos
        pos = m.end()
    if pos < len(text):
        yield text[pos:], pos


def _txt_para(asm: Assembler, lines: Sequence[tuple[str, int]], kind: str | None) -> None:
    atoms: list[Atom] = []
    prev_end = 0
    for k, (line, start) in enumerate(lines):
        if k:
            atoms.append(Atom(" ", prev_end, start, verbatim=False))
        atoms.append(Atom(line, start, start + len(line)))
        prev_end = start + len(line)
    if kind == "scene":
        asm.add_block(Block(atoms), scene_break=True)
    else:
        asm.add_block(Block(atoms), paratext=kind)


def _paragraphs(lines: Sequence[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """Blank-line paragraphs; a line ending in two spaces (html2text's ``<br>``) ends one too."""
    out: list[list[tuple[str, int]]] = []
    cur: list[tuple[str, int]] = []
    for line, start in lines:
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
            continue
        cur.append((line, start))
        if line.endswith("  "):
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def _txt_chapters(asm: Assembler, body: list[tuple[str, int]], toc: list[str]) -> None:
    i = 0
    ti = 0
    content: list[tuple[str, int]] = []

    def flush() -> None:
        note: str | None = None
        seen_story = False
        for para in _paragraphs(content):
            t = " ".join(x.strip() for x, _ in para)
            if t == "End file.":
                continue
            label = _TXT_NOTE.match(t)
            if label:
                # FFF folds AO3 notes into the chapter: a bold label, then the note quoted with "> "
                note = "summary" if "summary" in label.group(1).lower() else "end-notes" if seen_story else "notes"
                _txt_para(asm, para, note)
            elif note is not None and t.startswith(">"):
                _txt_para(asm, para, note)
            elif t.startswith("#"):
                _txt_para(asm, para, "title")
                note = None
            else:
                note = None
                seen_story = True
                _txt_para(asm, para, None)
        content.clear()

    while i < len(body):
        line, start = body[i]
        if re.match(r"^[ \t]{2,}\S", line) and ti < len(toc) and " ".join(toc[ti].split()).startswith(line.strip()):
            # a chapter title, perhaps wrapped: take lines until they spell the TOC entry
            want = " ".join(toc[ti].split())
            got = [(line, start)]
            j = i + 1
            while " ".join(" ".join(x for x, _ in got).split()) != want and j < len(body) and body[j][0].strip():
                if not want.startswith(" ".join(" ".join(x for x, _ in got).split())):
                    break
                got.append(body[j])
                j += 1
            flush()
            asm.start_chapter(toc[ti])
            _txt_para(asm, got, "title")
            ti += 1
            i = j
            continue
        content.append((line, start))
        i += 1
    flush()
