"""Quotes and thoughts: every quotation and every marked thought, marks included.

Handles straight and curly double quotes, British single quotes (told apart from
apostrophes and dropped letters such as ``'em``, ``hur'``, ``the lads' boots``), quotes
nested in quotes, speech running over several paragraphs, unclosed quotes (closed at the
paragraph end, with a warning), em-dash dialogue, guillemets, and thoughts set off with
``~tildes~``, ``*asterisks*``, ``_underscores_`` or italics supplied by a reader.

>>> from fabula import analyze
>>> s = analyze('"Hi," she said. ~Run, run.~')
>>> [(q.kind, s.span_text(q)) for q in s.layer("quotes")]
[('speech', '"Hi,"'), ('thought', '~Run, run.~')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from fabula.model import Paragraph, Quote, Span, Story
from fabula.pipeline import stage

# Double-quote marks: opener -> closers.
_DQ_OPEN = {"\u201c": "\u201d", "\u201e": "\u201d\u201c", "\u00ab": "\u00bb", '"': '"'}
_DQ_CLOSE = {"\u201d", "\u00bb", '"'}
_SQ_OPEN = {"\u2018": "\u2019", "'": "'", "\u2039": "\u203a"}
_OPENING_CONTEXT = set(" \t\n([{\u2014\u2013-/*_~") | {""}
_CLOSING_CONTEXT = set(" \t\n)]}.,;:!?\u2014\u2013-/*_~\u2026") | {""}

# Words written with a leading apostrophe for dropped letters: never open a quote.
_ELIDED_HEAD = re.compile(
    r"(?:em|im|er|is|til|till|cause|cos|coz|bout|round|tis|twas|twere|twill|n|s|ello|ere|ow|ome|appen|"
    r"course|fraid|nother|specially|gainst|neath|nuff|kay|sup|ya|yer|scuse|cept|member|bye|t)\b",
    re.IGNORECASE,
)
_DASH_DIALOGUE = re.compile(r"^[\u2014\u2015\u2013]\s?(?=\S)")
_TILDE = re.compile(r"(?<![\w~])~(?!\s|~)([^~\n]+?)(?<!\s)~(?![\w~])")
_STAR = re.compile(r"(?<![\w*])\*(?![\s*])([^*\n]+?)(?<![\s*])\*(?![\w*])")
_UNDER = re.compile(r"(?<![\w_])_(?![\s_])([^_\n]+?)(?<![\s_])_(?![\w_])")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I'll|I've|I'd|me|my|mine|myself|we|us|our|you|your)\b")
_THOUGHT_TAG = re.compile(
    r"^\W{0,3}\s*(?:\w+\s+){0,3}(?:thought|wondered|mused|reflected|thinks|realized|realised)\b",
    re.IGNORECASE,
)


def _ctx(text: str, i: int) -> str:
    return text[i] if 0 <= i < len(text) else ""


def _is_opening(text: str, i: int, lo: int) -> bool:
    """Could the mark at ``i`` open a quote (start of paragraph or after space / opening punctuation)?"""
    before = _ctx(text, i - 1) if i > lo else ""
    after = _ctx(text, i + 1)
    return before in _OPENING_CONTEXT and after not in ("", " ", "\t", "\n")


def _is_closing(text: str, i: int, hi: int) -> bool:
    before = _ctx(text, i - 1)
    after = _ctx(text, i + 1) if i + 1 < hi else ""
    return before not in ("", " ", "\t", "\n") and (after in _CLOSING_CONTEXT or not after.isalnum())


class _Finder:
    """Scans the story paragraph by paragraph, carrying open quotes across paragraphs."""

    def __init__(self, story: Story, style: str) -> None:
        self.story = story
        self.text = story.text
        self.style = style
        self.quotes: list[Quote] = []
        self.warnings: list[str] = []

    def run(self, paras: list[Paragraph]) -> None:
        pending: int | None = None  # start of a quote still open at the previous paragraph's end
        pending_end = 0
        for k, p in enumerate(paras):
            t = self.text
            if _DASH_DIALOGUE.match(t, p.start_char) and not self._has_marks(p):
                self._dash_dialogue(p)
                pending = None
                continue
            spans, open_at = self._marks(p)
            if pending is not None:
                first = spans[0][0] if spans else open_at
                if first == p.start_char or (open_at == p.start_char and not spans):
                    # the speech goes on: the previous quote continues into this paragraph
                    if spans and spans[0][0] == p.start_char:
                        s0, e0, c0 = spans.pop(0)
                        self.quotes.append(Quote(pending, e0, kind="speech", closed=c0))
                        pending = None
                    else:
                        continue  # still open at this paragraph's end too; keep pending
                else:
                    self._close_unclosed(pending, pending_end)
                    pending = None
            for s, e, closed in spans:
                self.quotes.append(Quote(s, e, kind="speech", closed=closed))
            if open_at is not None:
                # open at the paragraph end: continue if the next paragraph reopens speech
                nxt = paras[k + 1] if k + 1 < len(paras) else None
                if nxt is not None and self._reopens(nxt):
                    pending, pending_end = open_at, p.end_char
                else:
                    self._close_unclosed(open_at, p.end_char)
        if pending is not None:
            self._close_unclosed(pending, pending_end)

    def _close_unclosed(self, start: int, end: int) -> None:
        self.quotes.append(Quote(start, end, kind="speech", closed=False))
        line = self.text[start : min(end, start + 40)]
        self.warnings.append(f"unclosed quote closed at its paragraph end: {line!r}")

    def _has_marks(self, p: Paragraph) -> bool:
        seg = self.text[p.start_char : p.end_char]
        return any(c in seg for c in '"\u201c\u201d\u00ab\u00bb')

    def _reopens(self, p: Paragraph) -> bool:
        c = self.text[p.start_char]
        if self.style == "single":
            return c in "\u2018'" and _is_opening(self.text, p.start_char, p.start_char)
        return c in _DQ_OPEN

    def _marks(self, p: Paragraph) -> tuple[list[tuple[int, int, bool]], int | None]:
        """Closed quotes in a paragraph, and where a quote opened but did not close."""
        if self.style == "single":
            return self._single(p)
        return self._double(p)

    def _double(self, p: Paragraph) -> tuple[list[tuple[int, int, bool]], int | None]:
        t = self.text
        out: list[tuple[int, int, bool]] = []
        open_at: int | None = None
        closers = ""
        for i in range(p.start_char, p.end_char):
            c = t[i]
            if c not in _DQ_OPEN and c not in _DQ_CLOSE:
                continue
            if open_at is None:
                if c in _DQ_OPEN and (c != '"' or _is_opening(t, i, p.start_char) or not _is_closing(t, i, p.end_char)):
                    open_at, closers = i, _DQ_OPEN[c]
                    if c == "\u00bb":
                        closers = "\u00ab"
                elif c == "\u00bb" and _is_opening(t, i, p.start_char):
                    open_at, closers = i, "\u00ab"  # German »...« style
                continue
            if c in closers and (c != '"' or not _is_opening(t, i, p.start_char) or i == p.end_char - 1):
                out.append((open_at, i + 1, True))
                open_at = None
            elif c in "\u201c\u00ab" and c not in closers:
                # a new opener while one is open: the first was never closed
                end = i
                while end > open_at + 1 and t[end - 1].isspace():
                    end -= 1
                out.append((open_at, end, False))
                self.warnings.append(f"unclosed quote before a new one: {t[open_at:min(end, open_at + 40)]!r}")
                open_at, closers = i, _DQ_OPEN[c]
        return out, open_at

    def _single(self, p: Paragraph) -> tuple[list[tuple[int, int, bool]], int | None]:
        t = self.text
        out: list[tuple[int, int, bool]] = []
        open_at: int | None = None
        depth_double = False
        for i in range(p.start_char, p.end_char):
            c = t[i]
            if c in '"\u201c\u201d':
                depth_double = not depth_double if c == '"' else c == "\u201c"
                continue
            if c not in "'\u2018\u2019\u2039\u203a":
                continue
            if open_at is None:
                if c in "'\u2018\u2039" and _is_opening(t, i, p.start_char) and not _ELIDED_HEAD.match(t, i + 1):
                    open_at = i
                continue
            if depth_double:
                continue
            if c in "'\u2019\u203a" and _is_closing(t, i, p.end_char) and self._ends_quote(i, open_at, p):
                out.append((open_at, i + 1, True))
                open_at = None
        return out, open_at

    def _ends_quote(self, i: int, open_at: int, p: Paragraph) -> bool:
        """Is the closing-shaped single mark at ``i`` a quote's end, not a dropped letter?"""
        t = self.text
        before = t[i - 1]
        if before in ",.!?\u2014\u2013-\u2026;:":
            return True
        # "the lads' boots", "hur'": a letter before and a word right after is an apostrophe,
        # unless nothing else in the paragraph could close the quote.
        nxt = t[i + 1 : i + 3]
        rest = t[i + 1 : p.end_char]
        later = [m.start() for m in re.finditer(r"[,.!?\u2014\u2026-]['\u2019](?!\w)", rest)]
        if later:
            return False
        return not nxt[:1].isalpha() or nxt[:1] == ""

    def _dash_dialogue(self, p: Paragraph) -> None:
        """``— Where are you going? — asked Marta. — Home.``: speech runs between the dashes."""
        t = self.text
        seg_start = p.start_char
        speaking = True
        for m in re.finditer(r"\s[\u2014\u2015\u2013]\s?", t[p.start_char : p.end_char]):
            cut = p.start_char + m.start()
            if speaking:
                self.quotes.append(Quote(seg_start, cut, kind="speech"))
            seg_start = p.start_char + m.end() if speaking else p.start_char + m.start() + 1
            speaking = not speaking
        if speaking and seg_start < p.end_char:
            self.quotes.append(Quote(seg_start, p.end_char, kind="speech"))


def _detect_style(text: str) -> str:
    """``double`` or ``single``: which marks the story uses for speech."""
    double = sum(text.count(c) for c in '"\u201c\u201d\u00ab\u00bb')
    opening_single = len(re.findall(r"(?:^|[\s(\u2014])[\u2018'](?=[A-Z])", text, re.MULTILINE))
    return "single" if opening_single > max(4, 2 * double) else "double"


def _inside(spans: Iterable[Span], s: int, e: int) -> bool:
    return any(q.start_char <= s and e <= q.end_char for q in spans)


def _thoughts(story: Story, paras: list[Paragraph], speech: list[Quote]) -> list[Quote]:
    """Thoughts set off with tildes, asterisks, underscores, or italics from a reader."""
    text = story.text
    out: list[Quote] = []
    for p in paras:
        seg = text[p.start_char : p.end_char]
        for m in _TILDE.finditer(seg):
            s, e = p.start_char + m.start(), p.start_char + m.end()
            if len(m.group(1).split()) >= 2 and not _inside(speech, s, e):
                out.append(Quote(s, e, kind="thought"))
        for rx in (_STAR, _UNDER):
            for m in rx.finditer(seg):
                s, e = p.start_char + m.start(), p.start_char + m.end()
                if not _inside(speech, s, e) and _looks_like_thought(text, m.group(1), e, p, whole=(s, e) == (p.start_char, p.end_char)):
                    out.append(Quote(s, e, kind="thought"))
    for em in story.layer("emphasis"):
        s, e = em.start_char, em.end_char
        para = next((p for p in paras if p.start_char <= s and e <= p.end_char), None)
        if para is None or _inside(speech, s, e) or _inside(out, s, e):
            continue
        if _looks_like_thought(text, text[s:e], e, para, whole=(s, e) == (para.start_char, para.end_char)):
            out.append(Quote(s, e, kind="thought", method="italics"))
    return out


def _looks_like_thought(text: str, inner: str, end: int, p: Paragraph, *, whole: bool) -> bool:
    words = inner.split()
    if len(words) < 2:
        return False
    if _THOUGHT_TAG.match(text, end, p.end_char):
        return True
    if _FIRST_PERSON.search(inner) and (len(words) >= 3 or whole):
        return True
    return whole and inner.rstrip()[-1:] in "?!" and len(words) >= 3


@stage("quotes", requires=("paragraphs", "paratext", "scene_breaks"), assigns=("quotes",))
def quotes(story: Story) -> Story:
    """Find every quotation and marked thought in the story's paragraphs."""
    paras = story.story_paragraphs()
    f = _Finder(story, _detect_style(story.text))
    f.run(paras)
    speech = f.quotes
    found = speech + _thoughts(story, paras, speech)
    story = story.with_layer("quotes", found, stage="quotes")
    if f.warnings:
        story = story.with_warnings(*f.warnings)
    return story
