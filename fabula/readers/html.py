"""HTML: AO3 downloads, FanFicFare HTML, and any other page with a story in it.

The reader is chosen by content: an AO3 download (its "Posted originally on the Archive of
Our Own" message or its tag list) goes to :mod:`fabula.readers.ao3`, a FanFicFare file to
:mod:`fabula.readers.fanficfare`; any other page has its main text found (the element with
the most paragraph text, preferring ``<article>``, ``<main>`` and story-like ids/classes),
its ``<h1>``–``<h3>`` headings taken as chapter titles when there are several, ``<em>`` /
``<i>`` kept as an ``emphasis`` layer for the thought detector, and ``<hr>`` and centred
symbol lines as scene breaks.

Safety: entity declarations are refused (see :mod:`fabula.readers.markup`), scripts,
styles, forms and event-handler attributes never reach the text, malformed markup is read
as a browser would.

>>> s = read_html(b"<html><body><article><p>She ran.</p><hr><p><em>Why me?</em></p></article></body></html>", "x.html")
>>> s.text
'She ran.\\n\\n* * *\\n\\nWhy me?'
>>> [s.span_text(b) for b in s.layer("scene_breaks")], [s.span_text(e) for e in s.layer("emphasis")]
(['* * *'], ['Why me?'])
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from fabula.errors import Errors, ReaderError
from fabula.model import Metadata, Source, Story
from fabula.readers import Format, register_reader
from fabula.readers.markup import (
    HEADINGS,
    Assembler,
    Element,
    Styles,
    decode_html,
    parse_html,
    refuse_entity_declarations,
    walk_blocks,
)

_STORY_HINT = re.compile(
    r"story|chapter|content|storytext|userstuff|entry|post-body|article|text|prose|fic", re.I
)
_NOT_STORY = frozenset(("nav", "header", "footer", "aside", "form", "menu"))
_NOT_STORY_HINT = re.compile(r"comment|sidebar|menu|footer|header|nav|share|related|advert|cookie", re.I)
STAGE = "reader"


@register_reader(Format.HTML)
def read_html(raw: bytes, path: str) -> Story:
    """Read an HTML (or XHTML) file: AO3 download, FanFicFare HTML, or any web page."""
    refuse_entity_declarations(raw, path)
    text, enc = decode_html(raw, path)
    root = parse_html(text)
    styles = Styles.from_css(" ".join(s_.text() for s_ in _styles(root)))
    from fabula.readers import ao3, fanficfare

    if ao3.is_ao3_page(root):
        asm = Assembler()
        md = ao3.read_page(root, asm, styles=styles)
        md = _fill_from_title(md, root)
        return finish(asm, md, path=path, fmt="html", encoding=enc, kind="ao3-page", source_length=len(text))
    if ao3.is_ao3([root]):
        asm = Assembler()
        md, _ = ao3.read_flow([root], asm, styles=styles)
        md = _fill_from_title(md, root)
        return finish(asm, md, path=path, fmt="html", encoding=enc, kind="ao3", source_length=len(text))
    if fanficfare.is_fff_html(root):
        asm = Assembler()
        md = fanficfare.read_html_flow(root, asm, styles=styles)
        return finish(asm, md, path=path, fmt="html", encoding=enc, kind="fanficfare", source_length=len(text))
    asm = Assembler()
    md = generic_page(root, asm, styles=styles)
    return finish(asm, md, path=path, fmt="html", encoding=enc, kind="html", source_length=len(text))


def _styles(root: Element) -> list[Element]:
    return [e for e in root.iter("style")]


def _fill_from_title(md: Metadata, root: Element) -> Metadata:
    """Fallbacks from ``<title>`` ("Title - Author - Fandom") when the preface lacked them."""
    t = root.find(lambda e: e.tag == "title")
    if t is None or (md.title and md.authors):
        return md
    parts = [p.strip() for p in t.text().split(" - ")]
    title = md.title or (parts[0] if parts and parts[0] else None)
    authors = md.authors or ((parts[1],) if len(parts) > 2 else ())
    return dataclasses.replace(md, title=title, authors=authors)


def finish(
    asm: Assembler,
    md: Metadata,
    *,
    path: str,
    fmt: str,
    encoding: str | None,
    kind: str,
    source_length: int | None = None,
) -> Story:
    """The assembled story with its metadata and source; raises when no story text is left."""
    story = asm.story(stage=STAGE)
    story_paras = story.story_paragraphs()
    if not story_paras:
        raise ReaderError(Errors.E109.format(path=path))
    extra = dict(md.extra)
    extra.setdefault("source_kind", kind)
    md = dataclasses.replace(md, extra=tuple(extra.items()))
    src = Source(
        path=path,
        format=fmt,
        encoding=encoding,
        offsets=asm.offsets(source_length),
        repairs=tuple(sorted(asm.repairs)),
        origins=tuple(asm.origins),
    )
    return story.replace(metadata=md, source=src)


# --- any page -----------------------------------------------------------------------------


def main_element(root: Element) -> Element:
    """The element that holds the story: ``<article>``/``<main>``, a story-like id, or the most text.

    >>> r = parse_html("<div id=menu><p>Home</p></div><div id=s><p>" + "word " * 50 + "</p></div>")
    >>> main_element(r).id
    's'
    """
    body = root.find(lambda e: e.tag == "body") or root
    best: Element = body
    best_score = 0.0
    for el in body.iter():
        if el.tag in _NOT_STORY or el.tag in ("p", "span", "a", "em", "i", "b", "strong"):
            continue
        if _NOT_STORY_HINT.search(el.id + " " + " ".join(el.classes)):
            continue
        chars = sum(len(c.text()) for c in el.elements() if c.tag in ("p", "blockquote", "pre"))
        chars += sum(len(c.raw.strip()) for c in el.children if not isinstance(c, Element))
        if chars == 0:
            continue
        score = float(chars)
        if el.tag in ("article", "main") or _STORY_HINT.search(el.id + " " + " ".join(el.classes)):
            score *= 1.5
        if score > best_score:
            best, best_score = el, score
    total = len(body.text())
    # a page whose paragraphs are spread over many containers: take the body
    return best if best_score >= 0.3 * total else body


def generic_page(root: Element, asm: Assembler, *, styles: Styles | None = None) -> Metadata:
    """Read any HTML page: the main element's blocks, headings as chapters when there are several."""
    main = main_element(root)

    def skip(el: Element) -> bool:
        return el.tag in _NOT_STORY or bool(_NOT_STORY_HINT.search(el.id + " " + " ".join(el.classes)))

    blocks = walk_blocks(main, styles=styles, skip=skip)
    headings = [b for b in blocks if b.heading and b.element is not None and b.element.tag in ("h1", "h2", "h3")]
    chaptered = len(headings) >= 2
    for b in blocks:
        if b.heading:
            if chaptered and b in headings:
                asm.start_chapter(" ".join("".join(a.text for a in b.atoms).split()))
            asm.add_block(b, paratext="title")
        else:
            asm.add_block(b)
    return page_metadata(root)


def page_metadata(root: Element) -> Metadata:
    """Title and author from ``<title>``, ``<h1>`` and ``<meta name=author>``."""
    title_el = root.find(lambda e: e.tag == "title")
    h1 = root.find(lambda e: e.tag in HEADINGS and e.tag == "h1")
    title = (title_el.text() if title_el is not None else "") or (h1.text() if h1 is not None else "")
    author = root.find(lambda e: e.tag == "meta" and e.attrs.get("name", "").lower() == "author")
    lang_el = root.find(lambda e: e.tag == "html")
    lang = lang_el.attrs.get("lang") if lang_el is not None else None
    return Metadata(
        title=title or None,
        authors=(author.attrs.get("content", ""),) if author is not None and author.attrs.get("content") else (),
        language=lang or None,
    )


def story_text_blocks(roots: Sequence[Element]) -> int:
    """How many characters of block text a flow holds (used to skip empty EPUB documents)."""
    return sum(len(r.text()) for r in roots)
