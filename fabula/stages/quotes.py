"""Quotes and thoughts: every quotation and every marked thought, marks included.

The stage looks at story paragraphs only (paratext and scene-break lines are not story)
and finds, paragraph by paragraph:

* **speech in quote marks**: straight and curly double quotes, British single quotes,
  guillemets (``« »`` and German ``»...«``) and low-high German quotes (``„...“``). A
  story's main convention (double or single) is detected once; the other family then marks
  quotes nested in quotes. Apostrophes never open or close a quote: ``'em``, ``'tis``,
  ``rock 'n' roll``, ``the lads' boots`` and dropped letters (``hur'``, ``matta'``,
  ``blushin'``, ``Tha's``). Inch marks (``5'10"``) are not quote marks.
* **nested quotes** are kept as quotes of their own, flagged ``nested=True`` (LitBank and
  most gold standards annotate only the outermost quotation).
* **speech over several paragraphs**: a paragraph that ends inside a quote, followed by one
  that reopens with a quote mark, is one speech written in pieces; each paragraph's piece is
  a quote (``closed=False`` when it does not close), and the pieces after the first carry
  ``continued=True`` so that a later stage can give them the first piece's speaker.
* **an unclosed quote** that the next paragraph does not continue is closed at its
  paragraph end (``closed=False``), with one warning per story listing where.
* **em-dash dialogue** (``— Where are you going? — asked Marta.``, also ``--`` as in
  Project Gutenberg texts): a paragraph opening with a dash is speech up to a dash that
  introduces a lower-case narrative tag, and again after the tag's next dash.
* **thoughts** in ``~tildes~``, ``*asterisks*``, ``_underscores_`` and italics that a
  reader supplies in the ``emphasis`` layer; a quote tagged ``she thought`` is a thought too.

Not quotes, by design: a stray mark, an inch mark, a stray tilde, *one emphasised word*,
Markdown ``**bold**``, and **mentions**: a short quotation of at most three words set
inside a sentence after a word that is not a speech verb, not ending in ``!`` or ``?``
and not followed by a speech tag (``the so-called "experts"``, ``a sign reading
'Closed'``, a title). Those are words held up for show, not somebody speaking.

>>> from fabula import analyze
>>> s = analyze('"Hi," she said. ~Run, run.~')
>>> [(q.kind, s.span_text(q)) for q in s.layer("quotes")]
[('speech', '"Hi,"'), ('thought', '~Run, run.~')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from fabula.model import Paragraph, Quote, Span, Story
from fabula.pipeline import stage

# --- quote marks ----------------------------------------------------------------------------

_IN_WORD = frozenset("'\u2018\u2019")
_DOUBLE = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_SINGLE = frozenset("'\u2018\u2019\u201a\u2039\u203a")
# Every mark that could open or close a quote. A single mark between two letters (don't,
# I'z, Tha's) is an apostrophe and is not even a candidate.
# (A plain character class lets the regex engine skip ahead fast; the apostrophes inside
# words that it also finds are dropped in Python, see _Finder._paragraph.)
_MARK = re.compile(r"[\"\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a'\u2018\u2019\u201a]")
# What a quote's closing mark must match, for each opening mark.
_CLOSERS = {
    '"': '"\u201d\u201c',
    "\u201c": "\u201d\u201c\"",
    "\u201d": "\u201d",
    "\u201e": "\u201c\u201d",
    "\u00ab": "\u00bb",
    "\u00bb": "\u00ab",
    "'": "'\u2019",
    "\u2018": "\u2019'",
    "\u2019": "\u2019",
    "\u201a": "\u2018\u2019",
    "\u2039": "\u203a",
}
# Characters after which a mark may open a quote; anything but a letter or digit really.
_OPEN_BEFORE = frozenset(" \t\n([{<\u2014\u2013-/*_~\u2026:;,\"'\u201c\u2018\u00ab\u00bb\u201e\u2039") | {""}
_SPACE = frozenset(" \t\n\u00a0") | {""}

# Words written with a leading apostrophe for dropped letters: such a mark opens nothing.
_ELIDED_HEAD = re.compile(
    r"(?:em|im|er|is|tis|twas|twere|twill|twould|til|till|cause|cos|coz|cuz|bout|round|n|s|ello|ere|"
    r"ow|ome|appen|course|fraid|nother|specially|gainst|neath|nuff|kay|sup|ya|yer|yah|scuse|cept|"
    r"member|bye|t|d|ll|re|ve|m|un|uns|ud|e|ee|arf|alf|ead|im|ome|oo|ouse|ungry|orse|eart|"
    r"bacca|baccy|taters|tater|cuse|ceptin|pon|mongst|midst|prentice|lectric|gator|possum|coon|"
    r"\d\d)(?![\w'\u2019])|(?:t|)ain['\u2019]t\b|n['\u2019](?!\w)",
    re.IGNORECASE,
)
# A closing single mark right after one of these is a quote's end, never an apostrophe.
_CLOSE_PUNCT = frozenset(",.!?\u2014\u2013-\u2026;:")
# feet and inches: 5'10", 12" ruler
_INCH = re.compile(r"\d+(?:\.\d+)?(?:['\u2032\u2019]\d+(?:\.\d+)?)?[\"\u2033]")

# --- tags and heuristics --------------------------------------------------------------------

_SPEECH_VERB = (
    r"(?:said|says|say|saying|asked|asks|ask|replied|replies|answered|answers|cried|cries|shouted|"
    r"shouts|yelled|yells|screamed|whispered|whispers|murmured|muttered|mutters|called|calls|added|"
    r"continued|exclaimed|laughed|sighed|snapped|growled|hissed|breathed|gasped|demanded|began|"
    r"went on|repeated|insisted|interrupted|observed|remarked|returned|rejoined|retorted|told|"
    r"responded|mumbled|stammered|sobbed|pleaded|begged|roared|bellowed|drawled|purred|sneered|"
    r"grumbled|groaned|protested|agreed|declared|announced|suggested|explained|wrote|sang|mouthed|signed|"
    r"texted|typed|spat|barked|quipped|joked|teased|admitted|confessed|lied|promised|warned|offered|"
    r"chanted|recited|hummed|prayed|saying|asking|shouting|yelling|screaming|whispering|"
    r"calling|crying|muttering|murmuring|singing|chanting|mouthing)"
)
_THINK_VERB = r"(?:thought|thinks|think|wondered|wonders|mused|muses|reflected|told (?:him|her|them)sel(?:f|ves))"
_THOUGHT_AFTER = re.compile(
    r"[\s,]*(?:(?:he|she|I|they|we|you|it)\s+|(?:[A-Z][\w'\u2019-]*\s+){1,3})" + _THINK_VERB + r"\b"
    r"|[\s,]*" + _THINK_VERB + r"\s+(?:he|she|I|they|we|[A-Z][\w'\u2019-]*)\b",
)
_THOUGHT_BEFORE = re.compile(
    r"\b(?:he|she|I|they|we|[A-Z][\w'\u2019-]*)\s+" + _THINK_VERB + r"\s*[,:]?\s*$"
)
_SPEECH_TAG_AFTER = re.compile(
    r"[\s,]*(?:(?:he|she|I|they|we|you|it|[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019-]*)?)\s+"
    + _SPEECH_VERB
    + r"|"
    + _SPEECH_VERB
    + r")\b"
)
_SPEECH_VERB_BEFORE = re.compile(r"(?<![\w-])" + _SPEECH_VERB + r"\s*(?:to \w+\s*)?[,:]?\s*$", re.IGNORECASE)
_FIRST_PERSON = re.compile(
    r"\b(?:I|I'm|I'll|I've|I'd|I\u2019m|I\u2019ll|I\u2019ve|I\u2019d|me|my|mine|myself|we|us|our)\b"
)
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")

_EMPHASIS_MARK = re.compile(r"[~*_]")
_TILDE = re.compile(r"(?<![\w~])~(?![\s~])([^~\n]+?)(?<![\s~])~(?![\w~])")
_STAR = re.compile(r"(?<![\w*])\*(?![\s*])([^*\n]+?)(?<![\s*])\*(?![\w*])")
_UNDER = re.compile(r"(?<![\w_])_(?![\s_])([^_\n]+?)(?<![\s_])_(?![\w_])")

# Em-dash dialogue: a paragraph that opens with a dash (or Gutenberg's "--") and a word.
_DASH_OPEN = re.compile(r"(?:[\u2014\u2015]|--|\u2013)[ \u00a0]?(?=[\w\"'\u2018\u201c\u00bf\u00a1.])")
# Inside it, a spaced dash followed by a lower-case word starts a narrative tag; the tag
# runs to the next spaced dash (or the paragraph end).
_DASH_TAG = re.compile(r"\s(?:[\u2014\u2015]|--|\u2013)\s?(?=[a-z])")
_DASH_RESUME = re.compile(r"\s(?:[\u2014\u2015]|--|\u2013)\s?(?=\S)")


@dataclass(slots=True)
class _Open:
    """A quote opened and not yet closed: where, by which mark, and how deep."""

    start: int
    mark: str
    nested: bool
    continued: bool = False


class _Finder:
    """Finds speech paragraph by paragraph, carrying a quote left open across paragraphs."""

    def __init__(self, text: str, primary: frozenset[str]) -> None:
        self.text = text
        self.primary = primary
        self.quotes: list[Quote] = []
        self.unclosed: list[int] = []

    # -- paragraphs --

    def run(self, paras: Sequence[Span]) -> None:
        t = self.text
        # In a story whose paragraphs are split by blank lines, lines split by one newline
        # belong together (verse, a letter's lines): a quote may run on over them.
        blank = len(_BLANK_GAP.findall(t))
        blank_split = blank > t.count("\n") - 2 * blank
        # Em-dash dialogue needs two paragraphs opening with a dash, or a dash tag (— asked
        # Marta.): one lone "—and then he left." is narration.
        dash_story = sum(1 for p in paras if _DASH_OPEN.match(t, p.start_char)) >= 2
        carry = False  # the previous paragraph ended inside a quote that this one may continue
        inherited: _Open | None = None  # a quote running on from the previous line
        for k, p in enumerate(paras):
            if (
                inherited is None
                and _DASH_OPEN.match(t, p.start_char)
                and not self._has_double(p)
                and (dash_story or _DASH_TAG.search(t, p.start_char + 1, p.end_char))
            ):
                self._dash_dialogue(p)
                carry = False
                continue
            open_at, closed = self._paragraph(p, continued=carry, inherited=inherited)
            carry = False
            inherited = None
            if open_at is None:
                self.quotes.extend(closed)
                continue
            nxt = paras[k + 1] if k + 1 < len(paras) else None
            if blank_split and nxt is not None and t.count("\n", p.end_char, nxt.start_char) == 1:
                self.quotes.extend(closed)
                inherited = open_at
                continue
            if nxt is not None and self._reopens(nxt, open_at.mark):
                # speech going on into the next paragraph: this piece ends with its paragraph
                self.quotes.extend(closed)
                self.quotes.append(self._quote(open_at.start, p.end_char, closed=False, op=open_at))
                carry = True
                continue
            family = _DOUBLE if open_at.mark in _DOUBLE else _SINGLE
            inner = [q for q in closed if q.nested and t[q.start_char] in family]
            if inner:
                # “Wait, she said. “Why?” -- the first quote lacks its closing mark: it ends
                # before the next quote of its own kind, which is not nested after all.
                cut = min(q.start_char for q in inner)
                while any(q.start_char < cut < q.end_char for q in closed):
                    cut = min(q.start_char for q in closed if q.start_char < cut < q.end_char)
                end = len(t[open_at.start : cut].rstrip()) + open_at.start
                top = Quote(open_at.start, end, kind="speech", closed=False)
                closed = [
                    q if q.start_char < cut or not q.nested or t[q.start_char] not in family
                    else Quote(q.start_char, q.end_char, kind=q.kind, closed=q.closed)
                    for q in closed
                ]
                self.quotes.extend([top, *closed])
            else:
                self.quotes.extend(closed)
                self.quotes.append(self._quote(open_at.start, p.end_char, closed=False, op=open_at))
            self.unclosed.append(open_at.start)

    def _quote(self, start: int, end: int, *, closed: bool, op: _Open) -> Quote:
        kind = "speech"
        if not op.nested and self._is_thought(start, end):
            kind = "thought"
        return Quote(start, end, kind=kind, closed=closed, nested=op.nested, continued=op.continued)

    def _is_thought(self, start: int, end: int) -> bool:
        t = self.text
        line_end = t.find("\n", end)
        if _THOUGHT_AFTER.match(t, end, end + 40 if line_end < 0 else min(line_end, end + 40)):
            return True
        line_start = t.rfind("\n", 0, start) + 1
        return bool(_THOUGHT_BEFORE.search(t, max(line_start, start - 40), start))

    def _has_double(self, p: Span) -> bool:
        seg = self.text[p.start_char : p.end_char]
        return any(c in seg for c in '"\u201c\u201d\u00ab\u00bb\u201e')

    def _reopens(self, p: Span, mark: str) -> bool:
        """Does paragraph ``p`` start by reopening a quote of the same family as ``mark``?"""
        c = self.text[p.start_char]
        family = _DOUBLE if mark in _DOUBLE else _SINGLE
        if c not in family:
            return False
        return c not in _SINGLE or not _ELIDED_HEAD.match(self.text, p.start_char + 1)

    # -- marks inside one paragraph --

    def _paragraph(
        self, p: Span, *, continued: bool, inherited: _Open | None = None
    ) -> tuple[_Open | None, list[Quote]]:
        """The quotes closed in one paragraph, and the outermost quote still open at its end.

        ``inherited`` is a quote left open at the end of the previous line, running on here.
        """
        t = self.text
        lo, hi = p.start_char, p.end_char
        stack: list[_Open] = [inherited] if inherited is not None else []
        closed_here: list[Quote] = []
        first = True
        for m in _MARK.finditer(t, lo, hi):
            i = m.start()
            c = t[i]
            before = t[i - 1] if i > lo else ""
            after = t[i + 1] if i + 1 < hi else ""
            if c in _IN_WORD and before.isalnum() and after.isalnum():
                continue  # don't, I'z, Tha's
            if c == '"' and before.isdigit() and _INCH.match(t, _num_start(t, i, lo), i + 1):
                continue  # 5'10", 12" ruler
            opening = before in _OPEN_BEFORE and after not in _SPACE
            closing = before not in _SPACE and (after in _SPACE or not after.isalnum())
            if stack and c in _CLOSERS[stack[-1].mark] and self._closes(c, i, opening, closing, stack, hi):
                op = stack.pop()
                q = self._quote(op.start, i + 1, closed=True, op=op)
                closed_here.append(q)
                continue
            if stack and c in _DOUBLE and len(stack) > 1 and c in _CLOSERS[stack[0].mark] and closing:
                # a nested single quote never closed: the outer double quote ends here
                op = stack[0]
                stack.clear()
                closed_here.append(self._quote(op.start, i + 1, closed=True, op=op))
                continue
            if not self._opens(c, i, opening, closing, stack):
                continue
            if stack and stack[-1].mark == '"' and c == '"':
                # a straight quote opening while one is open: the first was never closed
                op = stack.pop()
                end = len(t[op.start : i].rstrip()) + op.start
                closed_here.append(self._quote(op.start, end, closed=False, op=op))
                self.unclosed.append(op.start)
            stack.append(_Open(i, c, nested=bool(stack), continued=continued and first and i == lo))
            first = False
        return (stack[0] if stack else None), closed_here

    def _opens(self, c: str, i: int, opening: bool, closing: bool, stack: list[_Open]) -> bool:
        """Can the mark ``c`` at ``i`` open a quote here?"""
        if c in ("\u201c", "\u201e", "\u00ab", "\u2039"):
            return True
        if c == "\u201a":  # German low single quote: nested only (‚so‘)
            return bool(stack)
        if c in ("\u201d", "\u00bb", "\u2019", "\u203a"):
            # a closing-shaped mark used as an opener (»German«, ”Swedish”, ’tis)
            if c == "\u2019":
                return opening and not closing and self._single_may_open(i, stack)
            return opening and not closing and not stack
        if c == '"':
            return opening
        # ' or ‘: an opening single quote, unless it is an elision such as 'em or 'tis
        if not opening:
            return False
        return self._single_may_open(i, stack)

    def _single_may_open(self, i: int, stack: list[_Open]) -> bool:
        t = self.text
        if _ELIDED_HEAD.match(t, i + 1) and not _ELISION_OPENS.search(t, max(0, i - 6), i):
            # 'em, 'tis: an elision, unless it stands where speech starts ('Tis true,' she said.)
            return False
        # at top level a single mark opens a quote only in a single-quote story
        return bool(stack) or "'" in self.primary

    def _closes(self, c: str, i: int, opening: bool, closing: bool, stack: list[_Open], hi: int) -> bool:
        """Does the mark ``c`` at ``i`` close the innermost open quote?"""
        op = stack[-1]
        if c in ("\u201d", "\u00bb", "\u203a", "\u00ab") and op.mark != c:
            return True
        if (c, op.mark) in (("\u201c", "\u201e"), ("\u2018", "\u201a")):
            return True
        if c == "\u201c":
            return closing and not opening  # “ as a closer only when shaped like one
        if c == '"':
            if closing or not opening:
                return True
            # "Yes, "she said: an opening-shaped mark before a lower-case word is a sloppy closer
            after = self.text[i + 1 : i + 2]
            return i + 1 >= hi or after.islower()
        if c == "\u00bb" or c == "\u00ab":
            return closing
        # a single mark: the end of the quote or an apostrophe (hur', the lads' boots)?
        if not closing:
            return False
        return self._single_ends(i, op, hi)

    def _single_ends(self, i: int, op: _Open, hi: int) -> bool:
        t = self.text
        if t[i - 1] in _CLOSE_PUNCT:
            return True
        if i - 1 == op.start:
            return False
        # A letter before: an apostrophe (goin', lads') when a later mark could still close
        # the quote after punctuation; otherwise the quote ends on a word ('Closed', 'DRINK ME').
        # A new quote opening before that later mark means this one ends here ('walk in' was
        # uttered ... 'Go to the Deuce:').
        limit = hi
        for m in _MARK.finditer(t, i + 1, hi):
            if t[m.start()] in _DOUBLE and op.nested:
                limit = m.start()
                break
        later = _LATER_SINGLE_CLOSE.search(t, i + 1, limit)
        if later is None:
            return True
        for m in _SINGLE_OPENER.finditer(t, i + 1, later.start()):
            if not _ELIDED_HEAD.match(t, m.end()):
                return True
        return False

    # -- em-dash dialogue --

    def _dash_dialogue(self, p: Span) -> None:
        """``— Where are you going? — asked Marta. — Home.``: speech runs between the dashes."""
        t = self.text
        pos = p.start_char
        while pos < p.end_char:
            tag = _DASH_TAG.search(t, pos + 1, p.end_char)
            end = tag.start() if tag else p.end_char
            while end > pos + 1 and t[end - 1].isspace():
                end -= 1  # the white space before the narrator's dash is not speech
            self.quotes.append(Quote(pos, end, kind="speech", method="dash"))
            if tag is None:
                return
            resume = _DASH_RESUME.search(t, tag.end(), p.end_char)
            if resume is None:
                return
            pos = resume.start() + 1


# An elided word opens a quote only at a paragraph's start or after a sentence or clause end.
_ELISION_OPENS = re.compile(r"(?:^|[.!?:,\u2014\n])\s*$")
_BLANK_GAP = re.compile(r"\n[ \t]*\n")
_LATER_SINGLE_CLOSE = re.compile(r"[,.!?\u2014\u2013\u2026;:-]['\u2019](?!\w)")


def _num_start(text: str, i: int, lo: int) -> int:
    j = i
    while j > lo and (text[j - 1].isdigit() or text[j - 1] in ".'\u2032\u2019"):
        j -= 1
    return j


def detect_style(text: str) -> frozenset[str]:
    """The marks a story mainly uses for speech: double (``"“”``) or single (``'‘’``) quotes.

    >>> "'" in detect_style("'Come here,' she said. 'Now.' 'Why?' 'Because.' 'Fine.' 'Good.'")
    True
    """
    double = len(_DOUBLE_OPENER.findall(text))
    single = sum(1 for m in _SINGLE_OPENER.finditer(text) if not _ELIDED_HEAD.match(text, m.end()))
    return _SINGLE if single > 2 * double and (single > 4 or double == 0) else _DOUBLE


# An opening mark after white space, "(" or a dash (or at the start), before a word. The
# look-behind comes after the mark so that the engine can scan for the mark quickly.
_DOUBLE_OPENER = re.compile(r"[\"\u201c\u201e\u00ab](?<![^\s(\u2014].)(?=\w)")
_SINGLE_OPENER = re.compile(r"['\u2018](?<![^\s(\u2014].)(?=[A-Za-z])")


def _is_mention(text: str, q: Quote, para: Span) -> bool:
    """A short quotation held up inside a sentence (a scare quote, a title, a word), not speech.

    >>> t = 'They called him "the boss" at work.'
    >>> _is_mention(t, Quote(15, 25), Span(0, len(t)))
    True
    """
    s, e = q.start_char, q.end_char
    inner = text[s + 1 : e - 1 if q.closed else e].strip()
    words = _WORD.findall(inner)
    if not words or len(words) > 3 or inner[-1:] in "!?\u2014\u2013-":
        return False
    head = text[max(para.start_char, s - 60) : s].rstrip()
    if not head or not (head[-1].isalnum() or head[-1] in "\u2019'"):
        return False  # at a paragraph's start, or after a colon, comma or dash: speech
    if _NAMING_BEFORE.search(head) and inner[-1:] not in ",.":
        return True  # was called "The Bottoms", a ship named "Margery"
    if _SPEECH_VERB_BEFORE.search(head):
        return False
    return not _SPEECH_TAG_AFTER.match(text, e, min(para.end_char, e + 40))


_NAMING_BEFORE = re.compile(
    r"(?<![\w-])(?:called|named|nicknamed|dubbed|titled|entitled|labell?ed|marked|known as|the words?|"
    r"the name|the title|the sign|signed)\s*[,:]?$",
    re.IGNORECASE,
)


# --- thoughts -------------------------------------------------------------------------------


def _inside(spans: Sequence[Span], s: int, e: int) -> bool:
    return any(q.start_char <= s and e <= q.end_char for q in spans)


def _by_paragraph(paras: Sequence[Span], spans: Sequence[Span]) -> dict[int, list[Span]]:
    """Spans (sorted) bucketed by the index of the paragraph they start in, in one sweep."""
    out: dict[int, list[Span]] = {}
    pi = 0
    for q in spans:
        while pi < len(paras) and paras[pi].end_char <= q.start_char:
            pi += 1
        if pi == len(paras):
            break
        out.setdefault(pi, []).append(q)
    return out


def _thoughts(story: Story, paras: Sequence[Span], speech: Sequence[Quote]) -> list[Quote]:
    """Thoughts set off with tildes, asterisks, underscores, or italics from a reader."""
    text = story.text
    out: list[Quote] = []
    said = _by_paragraph(paras, speech)
    italics = _by_paragraph(paras, sorted(story.layer("emphasis"), key=lambda e: e.start_char))
    for k, p in enumerate(paras):
        lo, hi = p.start_char, p.end_char
        marked = _EMPHASIS_MARK.search(text, lo, hi) is not None
        if not marked and k not in italics:
            continue
        here_said = said.get(k, [])
        here: list[Quote] = []
        if marked:
            for m in _TILDE.finditer(text, lo, hi):
                if _tilde_is_thought(m.group(1)) and not _inside(here_said, m.start(), m.end()):
                    here.append(Quote(m.start(), m.end(), kind="thought", method="tildes"))
            for rx, how in ((_STAR, "asterisks"), (_UNDER, "underscores")):
                for m in rx.finditer(text, lo, hi):
                    s, e = m.start(), m.end()
                    if _inside(here_said, s, e) or _inside(here, s, e):
                        continue
                    if _looks_like_thought(text, s, e, p):
                        here.append(Quote(s, e, kind="thought", method=how))
        for em in italics.get(k, []):
            s, e = em.start_char, em.end_char
            if e > hi or _inside(here_said, s, e) or _inside(here, s, e):
                continue
            if _looks_like_thought(text, s, e, p, marks=0):
                here.append(Quote(s, e, kind="thought", method="italics"))
        out.extend(here)
    return out


def _tilde_is_thought(inner: str) -> bool:
    """``~Run, run.~`` is a thought; ``~Flashback~`` and ``~Kira's POV~`` are markers.

    >>> _tilde_is_thought("why me"), _tilde_is_thought("Flashback"), _tilde_is_thought("Idiot.")
    (True, False, True)
    """
    inner = inner.strip()
    if inner[-1:] in ".!?\u2026,":
        return True
    words = _WORD.findall(inner)
    return any(w[0].islower() for w in words) and len(words) >= 2


def _looks_like_thought(text: str, s: int, e: int, p: Span, *, marks: int = 1) -> bool:
    """Is the emphasised span ``text[s:e]`` (its marks ``marks`` characters wide) a thought?

    One emphasised word is not, unless tagged (``*Tired,* she thought``). A thought is an
    emphasised phrase tagged ``he thought``, a whole sentence (it starts a paragraph or
    follows a sentence end, begins with a capital and ends with ``. ! ? …``), or a phrase in
    the first person at a sentence start.
    """
    inner = text[s + marks : e - marks].strip()
    words = _WORD.findall(inner)
    if not words:
        return False
    if _THOUGHT_AFTER.match(text, e, min(p.end_char, e + 40)):
        return True  # *Tired,* she thought.
    if len(words) < 2:
        return False
    head = text[max(p.start_char, s - 8) : s].rstrip()
    starts_sentence = not head or head[-1] in ".!?\u2026\"\u201d'\u2019~*_:"
    whole_sentence = starts_sentence and inner[:1].isupper() and inner.rstrip("\"'\u201d\u2019")[-1:] in ".!?\u2026"
    if whole_sentence:
        return True
    return bool(_FIRST_PERSON.search(inner)) and len(words) >= 3 and starts_sentence and inner[:1].isupper()


# --- the stage ------------------------------------------------------------------------------


def story_paragraphs(story: Story) -> list[Paragraph]:
    """Paragraphs that are story: not inside paratext, not scene-break lines.

    An inline note such as ``(A/N: ...)`` inside a paragraph leaves the paragraph story.
    """
    paras = [p for p in story.layer("paragraphs") if isinstance(p, Paragraph)]
    skip = [*story.layer("paratext"), *story.layer("scene_breaks")]
    if not skip:
        return paras
    starts = [p.start_char for p in paras]
    drop: set[int] = set()
    for s in skip:
        k = bisect_left(starts, s.start_char)
        while k < len(paras) and paras[k].end_char <= s.end_char:
            drop.add(k)
            k += 1
    return [p for k, p in enumerate(paras) if k not in drop]


def _well_formed(text: str, found: list[Quote]) -> list[Quote]:
    """Quotes that hold more than marks, and that nest or stay apart (never half overlap).

    Garbled marks can pair up crosswise; of two quotes that half overlap, the later goes.
    """
    out: list[Quote] = []
    open_: list[Quote] = []
    for q in sorted(found, key=lambda q: (q.start_char, -q.end_char)):
        if not _HAS_TEXT.search(text, q.start_char, q.end_char):
            continue
        while open_ and open_[-1].end_char <= q.start_char:
            open_.pop()
        if open_ and q.end_char > open_[-1].end_char:
            continue
        open_.append(q)
        out.append(q)
    return out


# Anything but quote marks and white space: '"..."' (a silence) counts, '""' does not.
_HAS_TEXT = re.compile(r"[^\s\"'\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb\u2039\u203a]")


def _outside_notes(story: Story, found: list[Quote]) -> list[Quote]:
    """Drop quotes inside an inline note such as ``(A/N: she means "never")``."""
    notes = sorted((p.start_char, p.end_char) for p in story.layer("paratext"))
    if not notes:
        return found
    starts = [a for a, _ in notes]
    out = []
    for q in found:
        k = bisect_left(starts, q.start_char + 1) - 1
        if k >= 0 and notes[k][1] >= q.end_char:
            continue
        out.append(q)
    return out


def _warning(text: str, starts: list[int]) -> str:
    shown = ", ".join(repr(text[s : s + 30].split("\n")[0]) for s in starts[:3])
    more = f" and {len(starts) - 3} more" if len(starts) > 3 else ""
    return f"{len(starts)} unclosed quote(s) closed at their paragraph end: {shown}{more}"


@stage("quotes", requires=("paragraphs", "paratext", "scene_breaks"), assigns=("quotes",), version="2")
def quotes(story: Story) -> Story:
    """Find every quotation and marked thought in the story's paragraphs."""
    text = story.text
    paras = story_paragraphs(story)
    finder = _Finder(text, detect_style(text))
    finder.run(paras)
    speech: list[Quote] = []
    pi = 0
    for q in sorted(finder.quotes, key=lambda q: (q.start_char, -q.end_char)):
        while paras[pi].end_char < q.start_char:
            pi += 1
        if not (q.nested or q.continued or q.method) and _is_mention(text, q, paras[pi]):
            continue
        speech.append(q)
    found = _well_formed(text, _outside_notes(story, speech + _thoughts(story, paras, speech)))
    story = story.with_layer("quotes", found, stage="quotes", version="2")
    if finder.unclosed:
        story = story.with_warnings(_warning(text, sorted(finder.unclosed)))
    return story
