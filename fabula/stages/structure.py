"""Structure: scene breaks, chapter headings, paratext (author's notes, disclaimers), scenes.

Fan fiction marks scene breaks in many ways (``xXx``, ``-o-o-o-``, ``* * *``, ``~~~``,
``Line Break``, ``~Flashback~``, ``~Kira's POV~``, centred rules such as ``~*~*~`` or
``————``, a lone ``⁂``) and wraps the story in paratext that must not be analysed as story:
a Markdown title, author's notes (``A/N:``) and disclaimers (``Disclaimer: I don't own...``)
and summaries at the top, closing notes and pleas for reviews at the bottom, notes at the
start and end of every chapter, inline ``(A/N: ...)``, and epigraphs (a quotation with its
source, ``--Shakespeare``) opening the story or a chapter. Chapter headings (``Chapter 3:
Title``, ``CHAPTER IV.``, ``Prologue``, Markdown ``## Part Two``) start chapters; scenes are
the runs of story paragraphs between breaks and headings.

Readers of HTML and EPUB may supply these layers already; this stage then keeps theirs and
only fills what is missing. Dialogue is never paratext (``"It's not mine," he said.``).

>>> is_scene_break("* * *"), is_scene_break("xXx"), is_scene_break("Ooo"), is_scene_break("Hi.")
(True, True, False, False)
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import pairwise

from fabula.model import Chapter, Paragraph, Paratext, Scene, SceneBreak, Span, Story
from fabula.pipeline import stage

# Lines of symbols only: * * *, ***, ~~~, ---, ===, ###, ~*~*~, /-/-/, +++, ◇◆◇, ...
_SYMBOL_BREAK = re.compile(r"^(?:[^\w\s]|_)(?:\s*(?:[^\w\s]|_)){2,}$")
# Letter-and-symbol rules: xXx, XxXxX, oOo, -o-o-o-, x-x-x, ~o~o~, 0o0o0
_XO_BREAK = re.compile(
    r"^[^\w\s]*(?:(?:[xX][^\w\s]*){3,}|(?:[oO0][^\w\s]*){3,}|(?:[xXoO0][^\w\s]+){2,}[xXoO0]?)[^\w\s]*$"
)
_WORD_BREAK = re.compile(
    r"^[^\w]*(?:line|page|scene|section|time)[ -]?(?:break|skip|change|jump)[^\w]*$"
    r"|^[^\w]*(?:break|POV (?:change|switch)|(?:(?:start|begin|end)(?: of)? )?flash ?back)[^\w]*$"
    r"|^[^\w]*(?-i:LB)[^\w]*$",
    re.IGNORECASE,
)


_PUNCT_ONLY = re.compile(r"[.\u2026?!,;:'\"\u2018\u2019\u201c\u201d]+|[-\u2014\u2013]{1,2}")
# A single ornament centred on its line: the asterism, fleurons, stars, diamonds.
_ORNAMENT = frozenset(
    "\u2042\u2766\u2767\u2619\u2726\u2727\u25c6\u25c7\u25cb\u25cf\u25a0\u25a1\u2605\u2606\u2666\u2665\u2663\u2660\u203b\u00a7"
)
_POV_MARK = re.compile(r"^[^\w]*(?:[A-Z][\w'\u2019.-]*\s+){0,3}(?:[A-Z][\w'\u2019-]*'?s?\s+)?POV[^\w]*$")


def is_scene_break(line: str) -> bool:
    """True when a whole (stripped) line is a scene-break marker.

    >>> [is_scene_break(x) for x in ("-o-o-o-", "~*~*~", "\u2014\u2014\u2014", "Line Break", "o0o0o", "...", "?!")]
    [True, True, True, True, True, False, False]
    """
    t = line.strip()
    if not t or len(t) > 60:
        return False
    if len(t) == 1:
        return t in _ORNAMENT
    if _SYMBOL_BREAK.match(t):
        # an ellipsis, a dash, or a burst of ?! is punctuation, not a break
        return not _PUNCT_ONLY.fullmatch(t.replace(" ", ""))
    if _XO_BREAK.match(t):
        letters = [c for c in t if c.isalpha()]
        # letters alone must alternate in case (xXx, oOo): "Ooo" is a word, "XXX" a kiss
        alternating = all(a.isupper() != b.isupper() for a, b in pairwise(letters))
        zeros = "0" in t and letters and set(letters) <= {"o", "O"}  # o0o0o, 0O0O0
        return alternating or bool(zeros) or any(not c.isalnum() for c in t)
    return bool(_WORD_BREAK.match(t) or _POV_MARK.match(t))


def break_form(line: str) -> str:
    """A short normalised name of a break marker's shape.

    >>> break_form(" * * * ")
    '* * *'
    """
    return " ".join(line.split())


_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|first|second|third|fourth|fifth|"
    r"sixth|seventh|eighth|ninth|tenth|last|final)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_CHAPTER = re.compile(
    r"^[#*_~=\s-]*(?:chapter|ch\.?|part|book|volume|vol\.)\s*(?:\d+|[ivxlcdm]+\b|" + _NUMBER_WORD + r"\b)"
    r"(?:\s*[:.\-\u2014\u2013)|]\s*.{0,80})?\s*$"
    r"|^[#*_~=\s-]*(?:prologue|epilogue|interlude|afterword|foreword)\b(?:\s*[:.\-\u2014\u2013]\s*.{0,80})?\W*$",
    re.IGNORECASE,
)
# A Markdown heading: "# Title", "## Chapter 2".
_MD_HEADING = re.compile(r"^#{1,6}\s+\S.{0,100}$")
_AUTHOR_NOTE = re.compile(
    r"^[\s(\[{*_~#]*(?:a/n|a\.n\.|an:|author'?s'? ?notes?|authors'? ?notes?|note from the author|"
    r"n/a:|notes?:|ending notes?:|end notes?:)"
    r"|^[\s(\[{*_~]*(?:please\s+(?:r\s*&\s*r|read and review|review|leave a review|comment)|r\s*&\s*r\b|"
    r"reviews? (?:are|is) (?:love|appreciated|welcome)|to be continued|tbc\b|thanks? (?:you )?for reading)",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"^[\s(\[{*_~]*disclaimer\b|\bI (?:do not|don't|dont|don’t) own\b|\bnot mine\b|"
    r"\b(?:belongs?|belonging) to\b.{0,60}\b(?:not me|rights|owns?)\b|\ball rights\b.{0,30}\breserved\b",
    re.IGNORECASE,
)
_SUMMARY = re.compile(r"^[\s*_~]*(?:summary|description)\s*:", re.IGNORECASE)
_META = re.compile(
    r"^[\s*_~]*(?:title|author|rating|rated|pairings?|fandom|warnings?|genre|word count|characters|"
    r"beta(?:'d)?(?: by)?)\s*:",
    re.IGNORECASE,
)

_QUOTE_START = frozenset("\"'\u201c\u2018\u00ab\u00bb\u201e\u2014")
_HEAD = 8  # paratext is looked for among the first and last paragraphs
_TAIL = 6


def _classify(text: str) -> str | None:
    """The paratext kind of a paragraph, or None for story.

    >>> _classify("Disclaimer: I don't own them."), _classify('"It is not mine," said Tom.')
    ('disclaimer', None)
    """
    if text[:1] in _QUOTE_START:
        return None  # dialogue is story, even "I don't own a horse," she said.
    if _SUMMARY.match(text):
        return "summary"
    if _AUTHOR_NOTE.match(text):
        return "author-note"
    if _DISCLAIMER.search(text) and len(text) < 600:
        return "disclaimer"
    if _META.match(text) and len(text) < 300:
        return "header"
    return None


@stage(
    "structure",
    requires=("paragraphs",),
    assigns=("scene_breaks", "chapters", "paratext", "scenes"),
    version="2",
)
def structure(story: Story) -> Story:
    """Find scene breaks, chapter headings, paratext at the edges, and the scenes between breaks."""
    text = story.text
    paras: list[Paragraph] = [p for p in story.layer("paragraphs") if isinstance(p, Paragraph)]
    lines = [text[p.start_char : p.end_char] for p in paras]
    breaks = list(story.layer("scene_breaks"))
    if not story.has("scene_breaks"):
        breaks = [
            SceneBreak(p.start_char, p.end_char, form=break_form(line))
            for p, line in zip(paras, lines, strict=True)
            if is_scene_break(line)
        ]
    break_starts = {b.start_char for b in breaks}

    have_chapters = story.has("chapters")
    chapters = list(story.layer("chapters"))
    heading_idx: list[int] = []
    if not have_chapters:
        heading_idx = [
            i for i, line in enumerate(lines) if is_heading(line) and paras[i].start_char not in break_starts
        ]

    paratext: Sequence[Span] = story.layer("paratext")
    if not story.has("paratext"):
        paratext = _find_paratext(story, paras, break_starts, set(heading_idx))
    in_paratext = _covered(paras, paratext)
    headings = [paras[i] for i in heading_idx if i not in in_paratext]

    if not have_chapters and headings:
        # a chapter runs from its heading to the next one, or to the paratext at the end
        story_end = max((p.end_char for k, p in enumerate(paras) if k not in in_paratext), default=len(text))
        for i, h in enumerate(headings):
            end = headings[i + 1].start_char if i + 1 < len(headings) else story_end
            end = h.start_char + len(text[h.start_char : end].rstrip())
            chapters.append(Chapter(h.start_char, end, title=_heading_title(story.span_text(h)), index=i))

    # Scenes: runs of story paragraphs between breaks, headings and chapter edges.
    heading_starts = {h.start_char for h in headings}
    cuts = break_starts | heading_starts | {c.start_char for c in chapters}
    scenes: list[Scene] = []
    cur: list[Paragraph] = []

    def flush() -> None:
        if cur:
            scenes.append(Scene(cur[0].start_char, cur[-1].end_char, index=len(scenes)))
            cur.clear()

    for k, p in enumerate(paras):
        if p.start_char in cuts:
            flush()
        if k in in_paratext or p.start_char in break_starts or p.start_char in heading_starts:
            if k in in_paratext:
                flush()
            continue
        cur.append(p)
    flush()

    story = story.with_layer("scene_breaks", breaks, stage="structure", version="2")
    story = story.with_layer("chapters", chapters, stage="structure", version="2")
    story = story.with_layer("paratext", paratext, stage="structure", version="2")
    return story.with_layer("scenes", scenes, stage="structure", version="2")


def is_heading(line: str) -> bool:
    """True for a chapter heading line: ``Chapter 3: The Fog``, ``CHAPTER IV.``, ``Prologue``, ``## Part Two``.

    >>> is_heading("Chapter One: The Lamp"), is_heading("Part of me wanted to stay."), is_heading("## Night")
    (True, False, True)
    """
    t = line.strip()
    return len(t) <= 100 and bool(_CHAPTER.match(t) or _MD_HEADING.match(t))


def _heading_title(line: str) -> str:
    return line.strip().lstrip("#").strip()


def _covered(paras: list[Paragraph], spans: Sequence[Span]) -> set[int]:
    """Indices of the paragraphs that lie wholly inside one of ``spans``."""
    starts = [p.start_char for p in paras]
    out: set[int] = set()
    for s in spans:
        k = bisect_left(starts, s.start_char)
        while k < len(paras) and paras[k].end_char <= s.end_char:
            out.add(k)
            k += 1
    return out


def _find_paratext(
    story: Story, paras: list[Paragraph], breaks: set[int], headings: set[int]
) -> list[Paratext]:
    """Author's notes, disclaimers, summaries and a title among the first and last paragraphs."""
    out: list[Paratext] = []
    n = len(paras)
    taken: set[int] = set()

    def take(i: int, kind: str) -> None:
        if i not in taken:
            taken.add(i)
            out.append(Paratext(paras[i].start_char, paras[i].end_char, kind=kind))

    # Head: leading paragraphs that classify (a Markdown title, notes, a disclaimer...).
    i = 0
    while i < min(n, _HEAD):
        t = story.span_text(paras[i])
        kind = "title" if i == 0 and _MD_HEADING.match(t) and not _CHAPTER.match(t) else _classify(t)
        if kind is None:
            break
        take(i, kind)
        close = _unclosed_bracket(t)
        if close:
            # a note opened with "(" or "[" runs until it is closed
            j = i + 1
            while j < n and j < i + 6:
                take(j, kind)
                if close in story.span_text(paras[j]):
                    break
                j += 1
            i = j
        elif kind == "author-note":
            # a note's next short paragraphs belong to it when a break or a heading follows them
            j = i + 1
            while j < min(n, i + 4) and j not in headings and paras[j].start_char not in breaks:
                if not _NOTE_LIKE.search(story.span_text(paras[j])) or len(paras[j]) > 300:
                    break
                j += 1
            if j < n and j > i + 1 and (j in headings or paras[j].start_char in breaks):
                for k in range(i + 1, j):
                    take(k, kind)
                i = j - 1
        i += 1
    # An epigraph (a quotation with its source) opening the story or a chapter.
    for h in [i - 1, *sorted(headings)]:
        j = h + 1
        while j < n and j in taken:
            j += 1
        end = _epigraph(story, paras, j, headings)
        for k in range(j, end):
            take(k, "epigraph")
    # Around each chapter heading: the previous chapter's closing note, this one's opening notes.
    for h in sorted(headings):
        # back from the heading, over note-like lines and breaks, to the note's first line
        for j in range(h - 1, max(i, h - 5) - 1, -1):
            line = story.span_text(paras[j])
            if _classify(line) == "author-note":
                for k in range(j, h):
                    if paras[k].start_char not in breaks:
                        take(k, "author-note")
                break
            if paras[j].start_char not in breaks and not _NOTE_LIKE.search(line):
                break
        k = h + 1
        while k < n and k not in headings and paras[k].start_char not in breaks:
            kind = _classify(story.span_text(paras[k]))
            if kind not in ("author-note", "disclaimer", "summary"):
                break
            take(k, kind)
            k += 1
    # Tail: back from the end to the closing note's first line; everything after it is note.
    # A note right after a chapter heading opens that chapter: the story follows it.
    for j in range(n - 1, max(i, n - _TAIL) - 1, -1):
        if j in headings:
            break
        kind = _classify(story.span_text(paras[j]))
        if kind in ("author-note", "disclaimer"):
            if j - 1 not in headings and j - 1 not in taken:
                for k in range(j, n):
                    if paras[k].start_char not in breaks:
                        take(k, kind)
            break
    # Inline notes: "(A/N: ...)" inside a story paragraph.
    for m in _INLINE_NOTE.finditer(story.text):
        if not any(o.start_char <= m.start() < o.end_char for o in out):
            out.append(Paratext(m.start(), m.end(), kind="author-note"))
    return out


def _epigraph(story: Story, paras: list[Paragraph], j: int, headings: set[int]) -> int:
    """The end index of an epigraph starting at paragraph ``j``, or ``j`` when there is none.

    An epigraph opens with a quote mark (or emphasis) and ends, within a few short lines, on
    its source: ``--Shakespeare``, ``\u2014 The Maid's Tragedy``.
    """
    text = story.text
    if j >= len(paras) or text[paras[j].start_char] not in _EPIGRAPH_START:
        return j
    for k in range(j, min(len(paras), j + 6)):
        if k in headings or len(paras[k]) > 300:
            return j
        a, b = paras[k].start_char, paras[k].end_char
        if _ATTRIBUTION_LINE.match(text, a, b) or _ATTRIBUTION_AFTER_QUOTE.search(text, a, b):
            return k + 1
    return j


_EPIGRAPH_START = frozenset("\"'\u201c\u2018\u00ab*_~")
# The source of an epigraph: a line of its own, or after the closing quote, opened by a dash.
_SOURCE = r"(?:--|\u2014|\u2015)\s*[A-Z][^!?\n\"\u201c\u201d]{0,100}$"
_ATTRIBUTION_LINE = re.compile(_SOURCE)
_ATTRIBUTION_AFTER_QUOTE = re.compile(r"[\"'\u201d\u2019*_~]\s*" + _SOURCE)


# What an author says to readers, not what a story says: no dialogue, and words of address.
_NOTE_LIKE = re.compile(
    r"^(?!.*[\"\u201c\u201d]).*\b(?:[Tt]hanks?|[Ee]njoy|[Hh]ope|[Rr]eview|[Cc]hapter|[Ss]tory|fic|[Uu]pdate|[Bb]eta|"
    r"[Rr]eaders?|[Ww]arnings?|[Ss]orry|[Pp]lease|[Dd]edicated)\b"
)
_INLINE_NOTE = re.compile(r"[(\[]\s*(?:A/N|AN|Author'?s note)\s*:[^)\]\n]*[)\]]", re.IGNORECASE)


def _unclosed_bracket(t: str) -> str:
    opener = t.lstrip()[:1]
    if opener in ("(", "["):
        close = ")" if opener == "(" else "]"
        return "" if close in t else close
    return ""
