"""HTML and XHTML for the readers: a tolerant tokenizer, a small element tree, and a text builder.

fabula never hands markup to a browser or an XML processor: this module tokenizes HTML with
regular expressions (linear time, any malformed input accepted), builds a small tree with
HTML's implied end tags, and turns block elements into the story's paragraphs.

Safety (issue 5): no DTD is read and no entity is declared or expanded. A document that
declares entities (``<!ENTITY``, the "billion laughs" attack) is refused with a
:class:`~fabula.errors.ReaderError`; only the character references of HTML5 (``&amp;``,
``&#233;``) are decoded. ``<script>``, ``<style>`` and similar elements are dropped with
their content, attributes such as ``onclick`` are never read, and nothing is ever output as
markup. Nesting deeper than :data:`MAX_DEPTH` is flattened.

:class:`Assembler` builds ``Story.text`` block by block (paragraphs separated by blank
lines), keeping an :class:`~fabula.offsets.OffsetMap` back to the source, a table of block
origins, and the reader-made layers (paragraphs, paratext, emphasis, scene breaks, chapters).

>>> root = parse_html("<p>One <em>two</em></p><p>Three &amp; four")
>>> a = Assembler()
>>> for b in walk_blocks(root):
...     _ = a.add_block(b)
>>> a.text
'One two\\n\\nThree & four'
>>> [a.text[e.start_char:e.end_char] for e in a.layers["emphasis"]]
['two']
"""

from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from fabula.errors import Errors, ReaderError
from fabula.model import Chapter, Emphasis, Paragraph, Paratext, SceneBreak, Span, Story
from fabula.offsets import Edit, OffsetMap

#: Elements nested deeper than this are attached flat (a guard against pathological input).
MAX_DEPTH = 200

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr keygen".split())
#: Dropped with everything inside them: never text, never output.
DROP = frozenset(
    "script style template noscript iframe object applet embed svg math canvas audio video "
    "button select textarea form input head title nav".split()
)
BLOCK = frozenset(
    "address article aside blockquote center details dialog dd div dl dt fieldset figcaption figure "
    "footer h1 h2 h3 h4 h5 h6 header hgroup hr li main ol p pre section summary table tbody thead "
    "tfoot tr td th caption ul body html".split()
)
_CLOSES_P = frozenset(
    "address article aside blockquote center details div dl fieldset figcaption figure footer h1 h2 h3 h4 "
    "h5 h6 header hgroup hr main menu nav ol p pre section table ul li dd dt".split()
)
_P_SCOPE = frozenset("table td th caption button html body template object".split())
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
ITALIC = frozenset(("em", "i"))

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<![A-Za-z][^>\[]{0,4096}(?:\[[^\]]{0,65536}\]\s*)?>"
    r"|<\?[^>]{0,4096}>"
    r"|</[A-Za-z][^>]{0,1024}>"
    r"|<[A-Za-z][^\s/<>]{0,64}(?:[^\"'<>]|\"[^\"]{0,8192}\"|'[^']{0,8192}'){0,4096}>",
    re.S,
)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/<>]*)")
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_RAW_END = {t: re.compile(rf"</{t}\b[^>]*>", re.I) for t in ("script", "style", "textarea", "title", "xmp")}
_ENTITY = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_WS = re.compile(r"\s+")
_WS_BAD = re.compile(r"\s{2,}|[^\S ]")  # white space a browser would change


def refuse_entity_declarations(raw: bytes | str, path: str) -> None:
    """Raise :class:`ReaderError` when a document declares XML entities (never expanded).

    >>> refuse_entity_declarations(b"<p>fine</p>", "x.html")
    """
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace")
    if _ENTITY_DECL.search(data):
        raise ReaderError(Errors.E140.format(path=path))


class Element:
    """An element of the tree: ``tag`` (lower case), ``attrs``, ``children`` (elements and texts)."""

    __slots__ = ("_counts", "attrs", "children", "nth", "parent", "part", "start", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], start: int, part: int = 0) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Element | Text] = []
        self.parent: Element | None = None
        self.start = start
        self.part = part
        self.nth = 1  # position among the parent's children of the same tag
        self._counts: dict[str, int] | None = None

    def append(self, child: Element) -> None:
        """Add a child element (keeps ``nth`` for :meth:`path`)."""
        if self._counts is None:
            self._counts = {}
        n = self._counts.get(child.tag, 0) + 1
        self._counts[child.tag] = n
        child.nth = n
        child.parent = self
        self.children.append(child)

    def __repr__(self) -> str:
        return f"<{self.tag}{'#' + self.id if self.id else ''}{'.' + '.'.join(self.classes) if self.classes else ''}>"

    @property
    def id(self) -> str:
        """The ``id`` attribute, or ''."""
        return self.attrs.get("id", "")

    @property
    def classes(self) -> list[str]:
        """The classes of the ``class`` attribute."""
        return self.attrs.get("class", "").split()

    def has_class(self, name: str) -> bool:
        """True when the element has class ``name``."""
        return name in self.attrs.get("class", "").split()

    def elements(self) -> Iterator[Element]:
        """The child elements."""
        for c in self.children:
            if isinstance(c, Element):
                yield c

    def iter(self, tag: str | None = None) -> Iterator[Element]:
        """This element and all below it, in document order (optionally only ``tag``)."""
        stack: list[Element] = [self]
        while stack:
            el = stack.pop()
            if tag is None or el.tag == tag:
                yield el
            stack.extend(reversed([c for c in el.children if isinstance(c, Element)]))

    def find(self, pred: Callable[[Element], bool]) -> Element | None:
        """The first element (document order) below or at this one that satisfies ``pred``."""
        return next((e for e in self.iter() if pred(e)), None)

    def find_all(self, pred: Callable[[Element], bool]) -> list[Element]:
        """Every element below or at this one that satisfies ``pred``."""
        return [e for e in self.iter() if pred(e)]

    def text(self) -> str:
        """All text below this element (scripts and styles dropped), white space collapsed."""
        parts: list[str] = []
        stack: list[Element | Text | str] = [self]
        while stack:
            n = stack.pop()
            if isinstance(n, str):
                parts.append(n)
            elif isinstance(n, Text):
                parts.append(n.value)
            elif n.tag in ("script", "style", "template"):
                continue
            else:
                if n.tag == "br" or n.tag in BLOCK:
                    parts.append(" ")
                    stack.append(" ")
                stack.extend(reversed(n.children))
        return _WS.sub(" ", "".join(parts)).strip()

    def path(self) -> str:
        """A short CSS-like path naming this element (three levels at most)."""
        names: list[str] = []
        el: Element | None = self
        while el is not None and len(names) < 3 and el.tag not in ("body", "#root"):
            name = el.tag
            if el.id:
                name += "#" + el.id
            elif el.classes:
                name += "." + el.classes[0]
            elif el.nth > 1 or (el.parent is not None and (el.parent._counts or {}).get(el.tag, 0) > 1):
                name += f":nth-of-type({el.nth})"
            names.append(name)
            el = el.parent
        return ">".join(reversed(names))


@dataclass(slots=True)
class Text:
    """Character data: ``raw`` as in the source (entities not yet decoded), from ``start``."""

    raw: str
    start: int
    part: int = 0

    @property
    def value(self) -> str:
        """The decoded text."""
        return html.unescape(self.raw) if "&" in self.raw else self.raw


def _attrs(tag_text: str, name_end: int) -> dict[str, str]:
    out: dict[str, str] = {}
    body = tag_text[name_end:-1]
    if body.endswith("/"):
        body = body[:-1]
    for m in _ATTR.finditer(body):
        key = m.group(1).lower()
        if key in out:
            continue
        val = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4) or ""
        out[key] = html.unescape(val) if "&" in val else val
    return out


def parse_html(source: str, *, part: int = 0, base: int = 0) -> Element:
    """Parse (X)HTML leniently into a tree; never fails on malformed input.

    ``base`` is added to every source offset (for several files joined into one source).

    >>> root = parse_html("<div><p>a<p>b</div>")
    >>> [e.text() for e in root.iter("p")]
    ['a', 'b']
    """
    root = Element("#root", {}, base, part)
    stack: list[Element] = [root]
    pos = 0
    n = len(source)
    tokens = _TOKEN.finditer(source)
    skip_to = 0
    for m in tokens:
        s = m.start()
        if s < skip_to:
            continue
        if s > pos:
            stack[-1].children.append(Text(source[pos:s], base + pos, part))
        tok = m.group()
        pos = m.end()
        if tok[1] in "!?":
            if tok.startswith("<![CDATA["):
                inner = tok[9:-3] if tok.endswith("]]>") else tok[9:]
                stack[-1].children.append(Text(html.escape(inner, quote=False), base + s + 9, part))
            continue
        nm = _TAG_NAME.match(tok)
        if nm is None:  # pragma: no cover - the token pattern guarantees a name
            continue
        tag = nm.group(1).lower()
        if ":" in tag:  # XHTML with a namespace prefix: h:p -> p
            tag = tag.rsplit(":", 1)[1]
        if tok[1] == "/":
            _close(stack, tag)
            continue
        el = Element(tag, _attrs(tok, nm.end()), base + s, part)
        _implied_closes(stack, tag)
        stack[-1].append(el)
        if tag in _RAW_END and not tok.endswith("/>"):
            end = _RAW_END[tag].search(source, pos)
            stop = end.start() if end else n
            if tag in ("title", "textarea"):
                el.children.append(Text(source[pos:stop], base + pos, part))
            pos = skip_to = end.end() if end else n
            continue
        if tag in _VOID or tok.endswith("/>") or len(stack) > MAX_DEPTH:
            continue
        stack.append(el)
    if pos < n:
        stack[-1].children.append(Text(source[pos:], base + pos, part))
    return root


def _close(stack: list[Element], tag: str) -> None:
    for i in range(len(stack) - 1, 0, -1):
        if stack[i].tag == tag:
            del stack[i:]
            return


def _implied_closes(stack: list[Element], tag: str) -> None:
    if tag in _CLOSES_P:
        for i in range(len(stack) - 1, 0, -1):
            t = stack[i].tag
            if t == "p":
                del stack[i:]
                break
            if t in _P_SCOPE:
                break
    if tag == "li":
        _close_in(stack, ("li",), ("ul", "ol"))
    elif tag in ("dt", "dd"):
        _close_in(stack, ("dt", "dd"), ("dl",))
    elif tag == "tr":
        _close_in(stack, ("tr",), ("table", "tbody", "thead", "tfoot"))
    elif tag in ("td", "th"):
        _close_in(stack, ("td", "th"), ("tr", "table"))
    elif tag == "option":
        _close_in(stack, ("option",), ("select",))


def _close_in(stack: list[Element], tags: Sequence[str], scope: Sequence[str]) -> None:
    for i in range(len(stack) - 1, 0, -1):
        t = stack[i].tag
        if t in tags:
            del stack[i:]
            return
        if t in scope:
            return


# --- blocks -------------------------------------------------------------------------------


@dataclass(slots=True)
class Atom:
    """A piece of a block's text: ``text`` from ``source[start:end]``; ``verbatim`` when equal to it."""

    text: str
    start: int
    end: int
    verbatim: bool = True
    italic: bool = False
    br: bool = False


@dataclass(slots=True)
class Block:
    """A block of text (a paragraph-to-be) with its element."""

    atoms: list[Atom] = field(default_factory=list)
    element: Element | None = None
    hr: bool = False
    centred: bool = False
    heading: bool = False


_CENTRE_STYLE = re.compile(r"text-align\s*:\s*center", re.I)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*(?:italic|oblique)", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)


@dataclass(slots=True)
class Styles:
    """What a stylesheet says about classes: which are centred, which italic, which hidden."""

    centred: frozenset[str] = frozenset()
    italic: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()

    @classmethod
    def from_css(cls, css: str) -> Styles:
        """Read simple ``.class { ... }`` rules.

        >>> Styles.from_css(".c1 { text-align: center } .c2 {font-style: italic}").centred
        frozenset({'c1'})
        """
        centred, italic, hidden = set(), set(), set()
        for m in re.finditer(r"([^{}]+)\{([^}]*)\}", css):
            names = re.findall(r"^\s*(?:[a-z0-9]*)\.([\w-]+)\s*$", m.group(1).replace(",", "\n"), re.M)
            body = m.group(2)
            if _CENTRE_STYLE.search(body):
                centred.update(names)
            if _ITALIC_STYLE.search(body):
                italic.update(names)
            if _HIDDEN_STYLE.search(body):
                hidden.update(names)
        return cls(frozenset(centred), frozenset(italic), frozenset(hidden))

    def merged(self, other: Styles) -> Styles:
        """Both sets of rules."""
        return Styles(self.centred | other.centred, self.italic | other.italic, self.hidden | other.hidden)


def is_centred(el: Element, styles: Styles | None = None) -> bool:
    """True when an element is centred by ``align``, ``style``, ``<center>`` or a centring class."""
    if el.tag == "center" or el.attrs.get("align", "").lower() == "center":
        return True
    if _CENTRE_STYLE.search(el.attrs.get("style", "")):
        return True
    return styles is not None and any(c in styles.centred for c in el.classes)


def is_hidden(el: Element, styles: Styles | None = None) -> bool:
    """True when an element is hidden (``hidden``, ``display:none``, a hiding class)."""
    if "hidden" in el.attrs or _HIDDEN_STYLE.search(el.attrs.get("style", "")):
        return True
    return styles is not None and any(c in styles.hidden for c in el.classes)


class _Walker:
    def __init__(self, styles: Styles | None, skip: Callable[[Element], bool] | None) -> None:
        self.styles = styles
        self.skip = skip
        self.blocks: list[Block] = []
        self.cur = Block()

    def flush(self) -> None:
        if self.cur.atoms:
            self.blocks.append(self.cur)
        self.cur = Block()

    def start_block(self, el: Element) -> None:
        self.flush()
        self.cur.element = el
        self.cur.centred = is_centred(el, self.styles) or (el.parent is not None and el.parent.tag == "center")
        self.cur.heading = el.tag in HEADINGS

    def walk(self, el: Element, italic: bool, depth: int = 0) -> None:
        for child in el.children:
            if isinstance(child, Text):
                if self.cur.element is None:
                    self.cur.element = el
                    self.cur.centred = is_centred(el, self.styles)
                _text_atoms(child, italic, self.cur.atoms)
                continue
            tag = child.tag
            if tag in DROP or is_hidden(child, self.styles) or (self.skip is not None and self.skip(child)):
                continue
            if tag == "br":
                self.cur.atoms.append(Atom("\n", child.start, child.start, verbatim=False, br=True))
            elif tag == "hr":
                self.flush()
                self.blocks.append(Block([Atom("* * *", child.start, child.start, verbatim=False)], child, hr=True))
            elif tag in BLOCK:
                self.start_block(child)
                self.walk(child, italic, depth + 1)
                self.flush()
            else:
                styled = self.styles is not None and any(c in self.styles.italic for c in child.classes)
                it = italic or tag in ITALIC or styled
                it = it or bool(_ITALIC_STYLE.search(child.attrs.get("style", "")))
                self.walk(child, it, depth + 1)


def _text_atoms(t: Text, italic: bool, out: list[Atom]) -> None:
    raw = t.raw
    if "&" not in raw:
        out.append(Atom(raw, t.start, t.start + len(raw), True, italic))
        return
    pos = 0
    for m in _ENTITY.finditer(raw):
        rep = html.unescape(m.group())
        if rep == m.group():
            continue
        if m.start() > pos:
            out.append(Atom(raw[pos : m.start()], t.start + pos, t.start + m.start(), True, italic))
        out.append(Atom(rep, t.start + m.start(), t.start + m.end(), False, italic))
        pos = m.end()
    if pos < len(raw):
        out.append(Atom(raw[pos:], t.start + pos, t.start + len(raw), True, italic))


def walk_blocks(
    el: Element, *, styles: Styles | None = None, skip: Callable[[Element], bool] | None = None
) -> list[Block]:
    """The blocks of text below ``el``: one per block element, ``<hr>`` as its own block.

    ``skip`` drops elements (and everything in them) for which it returns True.
    """
    w = _Walker(styles, skip)
    if el.tag in BLOCK or el.tag == "#root":
        w.start_block(el)
    w.walk(el, el.tag in ITALIC)
    w.flush()
    return w.blocks


# --- assembling the story's text -----------------------------------------------------------


class Assembler:
    """Builds a story's text from blocks, with offsets, origins and layers.

    Blocks are separated by a blank line; a ``<br>`` inside a block starts a new paragraph on
    the next line. White space runs become one space, as a browser shows them.
    """

    def __init__(self, parts: Sequence[str] = ("",), bases: Sequence[int] = (0,)) -> None:
        self._out: list[str] = []
        self._len = 0
        self._src = 0
        self._edits: list[Edit] = []
        self._sep = ""
        self._mark = 0
        self._parts = list(parts)
        self._bases = list(bases)
        self.origins: list[tuple[int, str, str, int]] = []
        self.layers: dict[str, list[Span]] = {
            "paragraphs": [],
            "paratext": [],
            "emphasis": [],
            "scene_breaks": [],
        }
        self.chapters: list[Chapter] = []
        self.repairs: set[str] = set()

    @property
    def text(self) -> str:
        """The text built so far."""
        return "".join(self._out)

    def __len__(self) -> int:
        return self._len

    def _edit(self, piece: str, src_start: int, src_end: int) -> None:
        if self._edits:
            last = self._edits[-1]
            if last.end == self._len and last.src_end == src_start:
                self._edits[-1] = Edit(last.src_start, src_end, last.start, self._len + len(piece))
                self._out.append(piece)
                self._len += len(piece)
                self._src = src_end
                return
        self._edits.append(Edit(src_start, src_end, self._len, self._len + len(piece)))
        self._out.append(piece)
        self._len += len(piece)
        self._src = src_end

    def _emit(self, piece: str, src_start: int, src_end: int, verbatim: bool) -> None:
        if self._sep or src_start != self._src:
            self._edit(self._sep, self._src, src_start)
            self._sep = ""
        if verbatim and src_end - src_start == len(piece):
            self._out.append(piece)
            self._len += len(piece)
            self._src = src_end
        else:
            self._edit(piece, src_start, src_end)

    def _part_of(self, src: int) -> tuple[str, int]:
        i = 0
        for k, b in enumerate(self._bases):
            if b <= src:
                i = k
        return self._parts[i], src - self._bases[i]

    def add_block(
        self,
        block: Block,
        *,
        paratext: str | None = None,
        scene_break: bool | None = None,
        element: str | None = None,
    ) -> list[Paragraph]:
        """Append a block; returns its paragraphs (several when it holds ``<br>`` line breaks).

        ``paratext`` marks the block as paratext of that kind; ``scene_break`` forces (True) or
        forbids (False) a scene break, which is otherwise decided from the block's text.
        """
        lines = _split_lines(block.atoms)
        paras: list[Paragraph] = []
        texts: list[str] = []
        first = True
        for gap, atoms in lines:
            if not first:
                self._sep = "\n" * min(gap, 2) if self._len else ""
            elif self._len:
                self._sep = "\n\n"
            para = self._line(atoms)
            if para is None:
                continue
            texts.append("".join(self._out[self._mark :]))
            first = False
            paras.append(para)
            src = atoms[0].start if atoms else self._src
            part, off = self._part_of(src)
            el = element if element is not None else (block.element.path() if block.element is not None else "")
            self.origins.append((para.start_char, part, el, off))
        self._sep = ""
        for p, t in zip(paras, texts, strict=True):
            self.layers["paragraphs"].append(p)
            if paratext is not None:
                self.layers["paratext"].append(Paratext(p.start_char, p.end_char, kind=paratext))
            elif scene_break is not False and (block.hr or scene_break or _looks_like_break(t, block.centred)):
                self.layers["scene_breaks"].append(SceneBreak(p.start_char, p.end_char, form="hr" if block.hr else t))
        if block.hr:
            self.repairs.add("<hr> shown as '* * *'")
        return paras

    def slice(self, span: Span) -> str:
        """The built text of a span."""
        return self.text[span.start_char : span.end_char]

    def _line(self, atoms: list[Atom]) -> Paragraph | None:
        """Emit one paragraph from atoms: white space collapsed and trimmed, emphasis recorded."""
        pieces: list[tuple[str, int, int, bool, bool]] = []
        for a in atoms:
            if not a.verbatim:
                pieces.append((" " if a.text.isspace() else a.text, a.start, a.end, False, a.italic))
                continue
            t = a.text
            pos = 0
            for m in _WS_BAD.finditer(t):
                if m.start() > pos:
                    pieces.append((t[pos : m.start()], a.start + pos, a.start + m.start(), True, a.italic))
                pieces.append((" ", a.start + m.start(), a.start + m.end(), False, a.italic))
                pos = m.end()
            if pos < len(t):
                pieces.append((t[pos:], a.start + pos, a.start + len(t), True, a.italic))
        # collapse spaces across pieces and trim both ends (a browser's rendering)
        norm: list[tuple[str, int, int, bool, bool]] = []
        prev_space = True
        for text, st, en, verb, it in pieces:
            if prev_space and text.startswith(" "):
                k = len(text) - len(text.lstrip(" "))
                text = text[k:]
                if verb:
                    st += k
                if not text:
                    continue
            norm.append((text, st, en, verb, it))
            prev_space = text.endswith(" ")
        while norm and norm[-1][0].endswith(" "):
            text, st, en, verb, it = norm.pop()
            k = len(text) - len(text.rstrip(" "))
            text = text[: len(text) - k]
            if text:
                norm.append((text, st, en - k if verb else en, verb, it))
                break
        if not norm:
            return None
        first = norm[0]
        if self._sep or first[1] != self._src:
            self._edit(self._sep, self._src, first[1])
            self._sep = ""
        start = self._len
        self._mark = len(self._out)
        italic_from: int | None = None
        italic_end = 0
        emph: list[tuple[int, int]] = []
        for text, st, en, verb, it in norm:
            if it and italic_from is None and text.strip():
                italic_from = self._len + len(text) - len(text.lstrip())
            elif not it and italic_from is not None:
                emph.append((italic_from, italic_end))
                italic_from = None
            self._emit(text, st, en, verb)
            if it and text.strip():
                italic_end = self._len - (len(text) - len(text.rstrip()))
        if italic_from is not None:
            emph.append((italic_from, italic_end))
        for lo, hi in emph:
            if hi > lo:
                self.layers["emphasis"].append(Emphasis(lo, hi, marker="em"))
        return Paragraph(start, self._len)

    def add_paratext_line(self, text: str, src_start: int, src_end: int, kind: str, element: str) -> Paragraph | None:
        """Append a paragraph made from a value (a title, a byline) as paratext of ``kind``."""
        atoms = [Atom(text, src_start, src_end, verbatim=False)]
        paras = self.add_block(Block(atoms), paratext=kind, element=element)
        return paras[0] if paras else None

    def start_chapter(self, title: str | None) -> None:
        """Start a chapter at the current end of the text (closed by the next one or :meth:`story`)."""
        self._close_chapter()
        start = self._len + (2 if self._len else 0)
        self.chapters.append(Chapter(start, start, title=title, index=len(self.chapters)))

    def _close_chapter(self) -> None:
        if not self.chapters:
            return
        c = self.chapters[-1]
        end = max(c.start_char, self._len)
        paras = self.layers["paragraphs"]
        start = next((p.start_char for p in paras if p.start_char >= c.start_char), end)
        self.chapters[-1] = Chapter(min(start, end), end, title=c.title, index=c.index)

    def offsets(self, source_length: int | None = None) -> OffsetMap:
        """The map from the built text back to the source (``source_length`` closes the markup after the text)."""
        edits = list(self._edits)
        if source_length is not None and source_length != self._src:
            last = edits[-1] if edits else None
            if last is not None and last.end == self._len and last.src_end == self._src:
                edits[-1] = Edit(last.src_start, source_length, last.start, last.end)
            else:
                edits.append(Edit(self._src, source_length, self._len, self._len))
        return OffsetMap(tuple(edits))

    def story(self, *, stage: str) -> Story:
        """The story built so far with its reader layers (source and metadata left to the caller)."""
        self._close_chapter()
        text = self.text
        self._inline_notes(text)
        story = Story(text=text)
        for name, spans in self.layers.items():
            story = story.with_layer(name, spans, stage=stage)
        chapters = [c for c in self.chapters if c.end_char > c.start_char]
        if chapters:
            story = story.with_layer("chapters", chapters, stage=stage)
        return story


    def _inline_notes(self, text: str) -> None:
        """Author's notes and disclaimers written into a chapter's text (FanFiction.Net has no notes field).

        The first and last few story paragraphs of each chapter that open with ``A/N``,
        ``Author's note``, ``Disclaimer`` and the like become paratext.
        """
        marked = {(p.start_char, p.end_char) for p in (*self.layers["paratext"], *self.layers["scene_breaks"])}
        story = [p for p in self.layers["paragraphs"] if (p.start_char, p.end_char) not in marked]
        bounds = [(c.start_char, c.end_char) for c in self.chapters] or [(0, len(text))]
        found: list[Span] = []
        starts = [p.start_char for p in story]
        for lo, hi in bounds:
            paras = story[bisect_left(starts, lo) : bisect_left(starts, hi)]
            for seq in (paras[:_NOTE_SCAN], list(reversed(paras[-_NOTE_SCAN:]))):
                for p in seq:
                    kind = note_kind(text[p.start_char : p.end_char])
                    if kind is None:
                        break
                    found.append(Paratext(p.start_char, p.end_char, kind=kind))
        if len(found) < len(story):  # never turn a whole story into notes
            self.layers["paratext"].extend(found)


_NOTE_SCAN = 3
_NOTE = re.compile(
    r"^[\s(\[{*_~]*(?:a/n\b|a\.n\.|an\s*:|author'?s'?\s*notes?\b|authors'?\s*notes?\b|n/a\s*:|notes?\s*:|"
    r"ending notes?\s*:|end notes?\s*:)",
    re.IGNORECASE,
)
_DISCLAIM = re.compile(r"^[\s(\[{*_~]*disclaimer\b|\bI (?:do not|don't|dont|don’t) own\b", re.IGNORECASE)


def note_kind(paragraph: str) -> str | None:
    """``author-note`` or ``disclaimer`` when a paragraph opens like one.

    >>> note_kind("A/N: Thanks for reading!"), note_kind("Disclaimer: not mine."), note_kind("Anna ran.")
    ('author-note', 'disclaimer', None)
    """
    if _NOTE.match(paragraph):
        return "author-note"
    if _DISCLAIM.search(paragraph[:200]) and len(paragraph) < 600:
        return "disclaimer"
    return None


def _looks_like_break(t: str, centred: bool) -> bool:
    from fabula.stages.structure import is_scene_break

    if len(t) > 60:
        return False
    if is_scene_break(t):
        return True
    return centred and not any(c.isalnum() for c in t)


def _split_lines(atoms: list[Atom]) -> list[tuple[int, list[Atom]]]:
    """Split a block's atoms at ``<br>``: ``(number of br before, atoms)`` per line."""
    out: list[tuple[int, list[Atom]]] = []
    cur: list[Atom] = []
    gap = 0
    for a in atoms:
        if a.br:
            if cur and any(not x.text.isspace() for x in cur):
                out.append((gap, cur))
                gap = 0
            cur = []
            gap += 1
            continue
        cur.append(a)
    if cur:
        out.append((gap, cur))
    return out


def decode_html(raw: bytes, path: str) -> tuple[str, str]:
    """Decode an HTML file: BOM, then a declared charset, then UTF-8, then detection.

    >>> decode_html(b'<meta charset="latin-1"><p>caf\\xe9', "x.html")[0][-4:]
    'café'
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    m = re.search(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", raw[:4096], re.I)
    m = m or re.search(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", raw[:512])
    if m:
        enc = m.group(1).decode("ascii").lower()
        try:
            return raw.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        from fabula.readers.text import decode

        return decode(raw, path)
