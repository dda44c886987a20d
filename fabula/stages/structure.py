"""Structure: scene breaks, chapter headings, paratext (author's notes, disclaimers), scenes.

Fan fiction marks scene breaks in many ways (``xXx``, ``-o-o-o-``, ``* * *``, ``~~~``,
``Line Break``, centred rules) and wraps the story in author's notes and disclaimers that
must not be analysed as story. Readers of HTML and EPUB may supply these layers already;
this stage then keeps theirs and only fills what is missing.

>>> is_scene_break("* * *"), is_scene_break("xXx"), is_scene_break("Ooo"), is_scene_break("Hi.")
(True, True, False, False)
"""

from __future__ import annotations

import re

from fabula.model import Chapter, Paragraph, Paratext, Scene, SceneBreak, Span, Story
from fabula.pipeline import stage

# Lines of symbols only: * * *, ***, ~~~, ---, ===, ###, ~*~*~, /-/-/, +++, ◇◆◇, ...
_SYMBOL_BREAK = re.compile(r"^(?:[^\w\s]|_)(?:\s*(?:[^\w\s]|_)){2,}$")
# Letter-and-symbol rules: xXx, XxXxX, oOo, -o-o-o-, x-x-x, ~o~o~, 0o0o0
_XO_BREAK = re.compile(
    r"^[^\w\s]*(?:(?:[xX][^\w\s]*){3,}|(?:[oO0][^\w\s]*){3,}|(?:[xXoO0][^\w\s]+){2,}[xXoO0]?)[^\w\s]*$"
)
_WORD_BREAK = re.compile(
    r"^[^\w]*(?:line|page|scene|section|time)[ -]?(?:break|skip|change)[^\w]*$|^[^\w]*(?:break|POV change)[^\w]*$",
    re.IGNORECASE,
)


def is_scene_break(line: str) -> bool:
    """True when a whole (stripped) line is a scene-break marker."""
    t = line.strip()
    if not t or len(t) > 60:
        return False
    if _SYMBOL_BREAK.match(t):
        # an ellipsis or a dash alone is punctuation, not a break
        return not re.fullmatch(r"[.…]+|[-\u2014\u2013]{1,2}|\?+|!+", t)
    if _XO_BREAK.match(t):
        letters = [c for c in t if c.isalpha()]
        # letters alone must alternate in case (xXx, oOo): "Ooo" is a word, "XXX" a kiss
        alternating = all(a.isupper() != b.isupper() for a, b in zip(letters, letters[1:], strict=False))
        return alternating or any(not c.isalnum() for c in t)
    return bool(_WORD_BREAK.match(t))


def break_form(line: str) -> str:
    """A short normalised name of a break marker's shape.

    >>> break_form(" * * * ")
    '* * *'
    """
    return " ".join(line.split())


_CHAPTER = re.compile(
    r"^(?:chapter|ch\.|part|book|volume)\s+(?:[0-9]+|[ivxlcdm]+|[a-z]+(?:[- ][a-z]+)?)\b.{0,80}$"
    r"|^(?:prologue|epilogue|interlude)\b.{0,80}$",
    re.IGNORECASE,
)
_AUTHOR_NOTE = re.compile(
    r"^[\s(\[{*_~]*(?:a/n|a\.n\.|an:|author'?s'? ?notes?|authors'? ?notes?|note from the author|"
    r"n/a:|notes?:|ending notes?:|end notes?:)",
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

_HEAD = 8  # paratext is looked for among the first and last paragraphs
_TAIL = 6


def _classify(text: str) -> str | None:
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
)
def structure(story: Story) -> Story:
    """Find scene breaks, chapter headings, paratext at the edges, and the scenes between breaks."""
    text = story.text
    paras: list[Paragraph] = [p for p in story.layer("paragraphs") if isinstance(p, Paragraph)]
    have_breaks = story.has("scene_breaks")
    breaks = list(story.layer("scene_breaks"))
    if not have_breaks:
        breaks = [
            SceneBreak(p.start_char, p.end_char, form=break_form(story.span_text(p)))
            for p in paras
            if is_scene_break(story.span_text(p))
        ]
    break_starts = {b.start_char for b in breaks}

    have_chapters = story.has("chapters")
    chapters = list(story.layer("chapters"))
    headings: list[Paragraph] = []
    if not have_chapters:
        headings = [p for p in paras if len(p) <= 90 and _CHAPTER.match(story.span_text(p))]

    paratext = list(story.layer("paratext"))
    if not story.has("paratext"):
        paratext = _find_paratext(story, paras, break_starts)

    heading_spans = [Span(p.start_char, p.end_char) for p in headings]
    if not have_chapters and headings:
        for i, h in enumerate(headings):
            end = headings[i + 1].start_char if i + 1 < len(headings) else len(text)
            end = len(text[:end].rstrip())
            chapters.append(Chapter(h.start_char, end, title=story.span_text(h), index=i))

    # Scenes: runs of story paragraphs between breaks, headings and chapter edges.
    cut_spans = [*breaks, *heading_spans]
    cuts = sorted({c.start_char for c in cut_spans} | {c.start_char for c in chapters})
    skip = [*paratext, *breaks, *heading_spans]
    scenes: list[Scene] = []
    cur: list[Paragraph] = []
    ci = 0

    def flush() -> None:
        if cur:
            scenes.append(Scene(cur[0].start_char, cur[-1].end_char, index=len(scenes)))
            cur.clear()

    for p in paras:
        while ci < len(cuts) and cuts[ci] <= p.start_char:
            flush()
            ci += 1
        if any(p.overlaps(s) for s in skip):
            continue
        cur.append(p)
    flush()

    story = story.with_layer("scene_breaks", breaks, stage="structure")
    story = story.with_layer("chapters", chapters, stage="structure")
    story = story.with_layer("paratext", paratext, stage="structure")
    return story.with_layer("scenes", scenes, stage="structure")


def _find_paratext(story: Story, paras: list[Paragraph], breaks: set[int]) -> list[Paratext]:
    """Author's notes, disclaimers and summaries among the first and last paragraphs."""
    out: list[Paratext] = []
    n = len(paras)
    taken: set[int] = set()

    def take(i: int, kind: str) -> None:
        if i not in taken:
            taken.add(i)
            out.append(Paratext(paras[i].start_char, paras[i].end_char, kind=kind))

    # Head: leading paragraphs that classify; a note's following lines up to a break join it.
    i = 0
    while i < min(n, _HEAD):
        t = story.span_text(paras[i])
        kind = _classify(t)
        if kind is None:
            break
        take(i, kind)
        # a note opened with "(" or "[" runs until it is closed
        opener = t.lstrip()[:1]
        if opener in "([" and ")]"["([".index(opener)] not in t:
            j = i + 1
            while j < n and j < i + 6:
                take(j, kind)
                if ")]"["([".index(opener)] in story.span_text(paras[j]):
                    break
                j += 1
            i = j
        i += 1
    # A break right after head paratext belongs to it.
    # Tail: from the last author's note within the last paragraphs to the end.
    for j in range(max(i, n - _TAIL), n):
        t = story.span_text(paras[j])
        kind = _classify(t)
        if kind in ("author-note", "disclaimer"):
            for k in range(j, n):
                if paras[k].start_char not in breaks:
                    take(k, kind)
            break
    # Inline notes: "(A/N: ...)" inside a story paragraph.
    for m in re.finditer(r"[(\[]\s*(?:A/N|AN|Author'?s note)\s*:[^)\]]*[)\]]", story.text, re.IGNORECASE):
        if not any(o.start_char <= m.start() < o.end_char for o in out):
            out.append(Paratext(m.start(), m.end(), kind="author-note"))
    return out
