"""Archive of Our Own downloads: the preface's tags, the chapters and the notes around them.

One parser serves the HTML download and the Calibre-made EPUB (and AZW3 once exploded):
it walks the document flow (the EPUB's spine bodies joined in order, since Calibre splits
files without regard to chapters) and selects by structure, never by Calibre's renamed
classes (``calibre5``...). Labels are matched case-insensitively, singular or plural, with
or without the colon; tags are read from link text (hrefs escape ``/`` as ``*s*``); links
may be http or https; chapter headings may be ``Chapter N: Title``, ``Chapter N`` or the bare
title of older downloads (see ``../shared/formats/FORMATS.md`` §1).

The work's title and byline open the text as paratext; summaries, notes and end notes (work
and chapter level) are in the text as paratext of kind ``summary``, ``notes`` and
``end-notes``, so they are shown but never analysed as story; chapter headings are paratext
of kind ``title``. The tag list, the "Posted originally" and "Please drop by" messages stay
out of the text.

>>> parse_stats("Published: 2015-01-10 Updated: 2016-02-01 Words: 1,234 Chapters: 3/?")
{'published': '2015-01-10', 'updated': '2016-02-01', 'words': '1,234', 'chapters': '3/?'}
>>> normalise_label("Relationship:"), normalise_label("Archive Warnings"), normalise_label("Categories:")
('relationships', 'warnings', 'categories')
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence

from fabula.model import Metadata
from fabula.readers.markup import Assembler, Block, Element, Styles, Text, walk_blocks

_LABELS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "additional_tags",
    "additional tag": "additional_tags",
    "freeform": "additional_tags",
    "language": "language",
    "series": "series",
    "collection": "collections",
    "collections": "collections",
    "stats": "stats",
}
_STATS = re.compile(r"(Published|Updated|Completed|Words|Chapters)\s*:\s*(\S+)", re.I)
_PART_OF = re.compile(r"Part\s+(\d+)\s+of\s+(.+)", re.I)
_WORK_URL = re.compile(r"https?://(?:www\.)?archiveofourown\.org/works/(\d+)", re.I)
#: AO3's labels of summaries and notes (work and chapter level) -> the paratext kind.
NOTE_LABELS = {
    "summary": "summary",
    "notes": "notes",
    "chapter summary": "summary",
    "chapter notes": "notes",
    "chapter end notes": "end-notes",
    "end notes": "end-notes",
}


def normalise_label(label: str) -> str | None:
    """The Metadata field a preface label fills, or None when it is not one of AO3's."""
    key = " ".join(label.strip().rstrip(":").strip().lower().split())
    return _LABELS.get(key)


def parse_stats(text: str) -> dict[str, str]:
    """The Stats line as a dict (published, updated, completed, words, chapters)."""
    return {m.group(1).lower(): m.group(2) for m in _STATS.finditer(text)}


def https(url: str) -> str:
    """Normalise an AO3 link to https.

    >>> https("http://archiveofourown.org/works/1")
    'https://archiveofourown.org/works/1'
    """
    return re.sub(r"^http://", "https://", url.strip(), flags=re.I)


def words_of(value: str | None) -> int | None:
    """A word count with or without thousands separators.

    >>> words_of("1,234"), words_of("12 345"), words_of(None)
    (1234, 12345, None)
    """
    if not value:
        return None
    digits = re.sub(r"[^\d]", "", value)
    return int(digits) if digits else None


def metadata_from_fields(fields: Iterable[tuple[str, Sequence[str], str]], base: Metadata | None = None) -> Metadata:
    """Fill Metadata from ``(label, tag names, plain text)`` rows of an AO3 preface."""
    md: dict[str, object] = {}
    extra: dict[str, str] = dict(base.extra) if base else {}
    for label, tags, text in fields:
        key = normalise_label(label)
        values = tuple(t for t in (x.strip() for x in tags) if t) or tuple(
            x.strip() for x in text.split(", ") if x.strip()
        )
        if key is None:
            if text:
                extra[label.strip().rstrip(":")] = text
            continue
        if key == "rating":
            md["rating"] = values[0] if values else None
        elif key == "language":
            md["language"] = text.strip() or None
        elif key == "series":
            md["series"] = _series(tags, text)
        elif key == "stats":
            stats = parse_stats(text)
            md["published"] = stats.get("published")
            md["updated"] = stats.get("updated")
            md["completed"] = stats.get("completed")
            md["words"] = words_of(stats.get("words"))
            md["chapters"] = stats.get("chapters")
        else:
            md[key] = values
    md["extra"] = tuple(extra.items())
    return dataclasses.replace(base or Metadata(), **md)  # type: ignore[arg-type]


def _series(links: Sequence[str], text: str) -> tuple[tuple[str, int | None], ...]:
    out: list[tuple[str, int | None]] = []
    if links:
        for name in links:
            m = re.search(r"Part\s+(\d+)\s+of\s+" + re.escape(name), text, re.I)
            out.append((name, int(m.group(1)) if m else None))
        return tuple(out)
    for piece in re.split(r",\s*(?=Part\s+\d)", text):
        m = _PART_OF.match(piece.strip())
        if m:
            out.append((m.group(2).strip(), int(m.group(1))))
    return tuple(out)


def work_id_of(url: str | None) -> str | None:
    """The work id in an AO3 work URL.

    >>> work_id_of("https://archiveofourown.org/works/12345/chapters/9")
    '12345'
    """
    m = _WORK_URL.search(url or "")
    return m.group(1) if m else None


# --- detection ----------------------------------------------------------------------------


def is_ao3(roots: Sequence[Element]) -> bool:
    """True when a document flow is an AO3 download (the preface message or its tag list)."""
    for root in roots:
        for el in root.iter():
            if el.tag == "p" and el.has_class("message") and "Archive of Our Own" in el.text():
                return True
            if el.tag == "div" and el.id == "preface" and el.find(lambda e: e.tag == "dl" and e.has_class("tags")):
                return True
    return False


# --- the flow -----------------------------------------------------------------------------


@dataclasses.dataclass
class _State:
    asm: Assembler
    styles: Styles | None
    fields: list[tuple[str, list[str], str]] = dataclasses.field(default_factory=list)
    title: str | None = None
    message_title: str | None = None
    authors: list[str] = dataclasses.field(default_factory=list)
    url: str | None = None
    label: str | None = None
    chapter_by: list[str] = dataclasses.field(default_factory=list)
    related: list[str] = dataclasses.field(default_factory=list)
    have_title: bool = False
    content_seen: bool = False


def read_flow(roots: Sequence[Element], asm: Assembler, *, styles: Styles | None = None) -> tuple[Metadata, _State]:
    """Walk an AO3 document flow into ``asm``; returns the metadata found and the walk's state."""
    st = _State(asm, styles)
    for root in roots:
        _walk(root, "", st)
    md = metadata_from_fields(st.fields)
    title = st.title or st.message_title
    url = https(st.url) if st.url else None
    extra = dict(md.extra)
    if st.chapter_by:
        extra["chapter_by"] = ", ".join(dict.fromkeys(st.chapter_by))
    if st.related:
        extra["related_works"] = "; ".join(st.related)
    md = dataclasses.replace(
        md,
        title=title,
        authors=tuple(dict.fromkeys(st.authors)),
        source_url=url,
        work_id=work_id_of(url),
        extra=tuple(extra.items()),
    )
    return md, st


def _region(el: Element, region: str) -> str:
    if el.id in ("preface", "chapters", "afterword"):
        return el.id
    return region


def _walk(el: Element, region: str, st: _State) -> None:
    for child in el.elements():
        _handle(child, _region(child, region), st)


def _handle(el: Element, region: str, st: _State) -> None:
    tag = el.tag
    if tag in ("script", "style", "head", "title", "template"):
        return
    if tag in ("html", "body"):
        _walk(el, region, st)
        return
    if tag == "dl" and el.has_class("tags"):
        _tags(el, st)
        return
    if tag == "p" and el.has_class("message") and region in ("preface", "afterword", ""):
        _message(el, st)
        return
    if region == "preface" or (region == "" and not st.content_seen):
        _preface_item(el, region, st)
        return
    if region == "afterword":
        _afterword_item(el, st)
        return
    if region == "chapters" or region == "":
        _chapter_item(el, st)


def _tags(dl: Element, st: _State) -> None:
    label: str | None = None
    for c in dl.elements():
        if c.tag == "dt":
            label = c.text()
        elif c.tag == "dd" and label is not None:
            links = [a.text() for a in c.iter("a")]
            st.fields.append((label, links, c.text()))
            label = None


def _message(p: Element, st: _State) -> None:
    b = p.find(lambda e: e.tag in ("b", "strong"))
    if b is not None and b.text():
        st.message_title = b.text()
    links = [a.attrs.get("href", "") for a in p.iter("a")]
    for href in links[1:] + links[:1]:
        if _WORK_URL.match(https(href)):
            st.url = _WORK_URL.match(https(href)).group(0)  # type: ignore[union-attr]
            return


def _label_of(el: Element) -> str | None:
    if el.tag != "p" or el.has_class("message"):
        return None
    return NOTE_LABELS.get(el.text().strip().rstrip(":").lower())


def _paratext(el: Element, kind: str, st: _State) -> None:
    for b in walk_blocks(el, styles=st.styles):
        st.asm.add_block(b, paratext=kind)


def _preface_item(el: Element, region: str, st: _State) -> None:
    tag = el.tag
    if tag == "h1":
        st.title = el.text()
        _paratext(el, "title", st)
        st.have_title = True
    elif tag == "div" and el.has_class("byline"):
        st.authors += [a.text() for a in el.iter("a") if a.attrs.get("rel") == "author"] or _byline_names(el.text())
        _paratext(el, "header", st)
    elif _label_of(el) is not None:
        st.label = _label_of(el)
    elif tag == "blockquote":
        _paratext(el, st.label or "notes", st)
        st.label = None
    elif tag == "div" and el.has_class("endnote-link"):
        return
    elif tag in ("h2", "h3") and (el.has_class("toc-heading") or region == "preface"):
        return
    elif tag in ("ul", "ol"):
        st.related += [li.text() for li in el.iter("li")]
    elif tag == "div" and region == "" and el.id == "" and _looks_like_content(el):
        _chapter_item(el, st)
    else:
        _walk(el, region, st)


def _byline_names(text: str) -> list[str]:
    t = re.sub(r"^\s*by\s+", "", text, flags=re.I)
    return [n.strip() for n in re.split(r",\s*|\s+and\s+", t) if n.strip()]


def _looks_like_content(el: Element) -> bool:
    return any(c.startswith("userstuff") for c in el.classes) and el.tag != "blockquote"


def _afterword_item(el: Element, st: _State) -> None:
    if _label_of(el) is not None:
        st.label = _label_of(el)
    elif el.tag == "blockquote":
        _paratext(el, st.label or "end-notes", st)
        st.label = None
    elif el.tag == "h2":
        return
    elif el.tag == "dl":
        st.related += [dd.text() for dd in el.iter("dd")]
    else:
        _walk(el, "afterword", st)


def _chapter_item(el: Element, st: _State) -> None:
    tag = el.tag
    if tag in ("h2", "h3") and el.has_class("heading"):
        title = el.text()
        st.asm.start_chapter(title)
        _paratext(el, "title", st)
        return
    if tag == "h2" and el.has_class("toc-heading"):
        # single-chapter work: the hidden heading only names the chapter for Calibre's TOC
        st.asm.start_chapter(None)
        return
    if _label_of(el) is not None:
        st.label = _label_of(el)
        return
    if tag == "blockquote":
        _paratext(el, st.label or "notes", st)
        st.label = None
        return
    if tag == "p" and el.has_class("byline"):
        st.chapter_by += [a.text() for a in el.iter("a")]
        return
    if tag == "div" and el.has_class("endnote-link"):
        return
    if el.id.startswith("endnotes"):
        st.label = "end-notes"
        _walk(el, "chapters", st)
        return
    if _looks_like_content(el) and el.id != "chapters":
        _content(el, st)
        return
    if tag in ("div", "section") and el.find(lambda e: e is not el and (e.tag in ("h2", "blockquote", "p", "hr"))):
        if _has_own_text(el):
            _content(el, st)
        else:
            _walk(el, "chapters", st)
        return
    if el.text() or tag == "hr":
        _content(el, st)


def _has_own_text(el: Element) -> bool:
    return any(isinstance(c, Text) and c.raw.strip() for c in el.children)


def _content(el: Element, st: _State) -> None:
    if not st.asm.chapters:
        st.asm.start_chapter(None)
    st.content_seen = True
    blocks: list[Block] = walk_blocks(el, styles=st.styles)
    for b in blocks:
        heading = b.heading and b.element is not None and b.element.has_class("heading")
        st.asm.add_block(b, paratext="title" if heading else None)


# --- the work's web page, saved from the browser (FORMATS.md §1.8) --------------------------


def is_ao3_page(root: Element) -> bool:
    """True for an AO3 work page saved from a browser (``dl.work.meta.group``)."""
    return root.find(lambda e: e.tag == "dl" and e.has_class("work") and e.has_class("meta")) is not None


def read_page(root: Element, asm: Assembler, *, styles: Styles | None = None) -> Metadata:
    """Read a saved AO3 work page: the meta list, the preface, each ``div.chapter``, the end notes."""
    dl = root.find(lambda e: e.tag == "dl" and e.has_class("work") and e.has_class("meta"))
    fields: list[tuple[str, list[str], str]] = []
    if dl is not None:
        label: str | None = None
        for c in dl.elements():
            if c.tag == "dt":
                label = c.text()
            elif c.tag == "dd" and label is not None:
                if c.has_class("series"):
                    links = [a.text() for a in c.iter("a") if "/series/" in a.attrs.get("href", "")]
                    text = " ".join(p.text() for p in c.iter("span") if p.has_class("position")) or c.text()
                else:
                    links = [a.text() for a in c.iter("a") if a.has_class("tag")] or [a.text() for a in c.iter("a")]
                    text = c.text()
                fields.append((label, [] if c.has_class("stats") or c.has_class("language") else links, text))
                label = None
    md = metadata_from_fields(fields)
    skin = root.find(lambda e: e.id == "workskin") or root.find(lambda e: e.id == "main") or root
    title = None
    authors: list[str] = []
    preface = skin.find(lambda e: e.has_class("preface") and not e.has_class("chapter"))
    if preface is not None:
        h = preface.find(lambda e: e.has_class("title") and e.tag in ("h2", "h1"))
        if h is not None:
            title = h.text()
            _page_blocks(h, "title", asm, styles)
        by = preface.find(lambda e: e.has_class("byline"))
        if by is not None:
            authors = [a.text() for a in by.iter("a") if a.attrs.get("rel") == "author"] or _byline_names(by.text())
            _page_blocks(by, "header", asm, styles)
        _page_notes(preface, asm, styles)
    chapters = skin.find(lambda e: e.id == "chapters")
    if chapters is not None:
        parts = [c for c in chapters.elements() if c.has_class("chapter")] or [chapters]
        for part in parts:
            head = part.find(lambda e: e.has_class("preface") and e.has_class("chapter"))
            h3 = head.find(lambda e: e.tag == "h3" and e.has_class("title")) if head is not None else None
            asm.start_chapter(h3.text() if h3 is not None else None)
            if h3 is not None:
                _page_blocks(h3, "title", asm, styles)
            if head is not None:
                _page_notes(head, asm, styles)
            for body in part.find_all(lambda e: e.has_class("userstuff") and e.tag == "div"):
                blocks = walk_blocks(body, styles=styles, skip=lambda e: e.has_class("landmark"))
                for b in blocks:
                    asm.add_block(b, paratext="title" if b.heading else None)
            for end in part.find_all(lambda e: e.has_class("end") and e.has_class("notes")):
                _page_blocks(end, "end-notes", asm, styles)
    for end in skin.find_all(lambda e: e.id == "work_endnotes"):
        _page_blocks(end, "end-notes", asm, styles)
    link = root.find(lambda e: e.tag == "link" and e.attrs.get("rel") == "canonical")
    url = link.attrs.get("href") if link is not None else None
    m = _WORK_URL.search(https(url)) if url else None
    src = m.group(0) if m else None
    return dataclasses.replace(
        md, title=title, authors=tuple(dict.fromkeys(authors)), source_url=src, work_id=work_id_of(src)
    )


def _page_blocks(el: Element, kind: str, asm: Assembler, styles: Styles | None) -> None:
    for b in walk_blocks(el, styles=styles, skip=lambda e: e.tag in ("h3", "h4") and e.has_class("heading")):
        asm.add_block(b, paratext=kind)


def _page_notes(el: Element, asm: Assembler, styles: Styles | None) -> None:
    for mod in el.find_all(lambda e: e.has_class("module") and (e.has_class("summary") or e.has_class("notes"))):
        if mod.has_class("end"):
            continue
        _page_blocks(mod, "summary" if mod.has_class("summary") else "notes", asm, styles)
