"""Paragraphs, sentences and tokens.

Paragraphs are the non-blank lines of the text (readers have already joined hard-wrapped
lines, keeping offsets). Sentences are found by a rule-based splitter that knows fiction's
habits (dialogue punctuation, abbreviations, ellipses). Tokens come from spaCy's
rule-based English tokenizer (no model), stored as integer arrays.

>>> from fabula.model import Story
>>> s = paragraphs(Story(text="One.\\n\\nTwo. Three."))
>>> [s.span_text(p) for p in s.layer("paragraphs")]
['One.', 'Two. Three.']
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fabula.model import Paragraph, Sentence, Story, Tokens
from fabula.pipeline import stage

_LINE = re.compile(r"[^\n]*\S[^\n]*")
_TRAIL = re.compile(r"\s+$")


@stage("paragraphs", requires=("text",), assigns=("paragraphs",))
def paragraphs(story: Story) -> Story:
    """Each non-blank line is a paragraph, without its leading or trailing white space."""
    if story.has("paragraphs"):
        return story
    out = []
    text = story.text
    for m in _LINE.finditer(text):
        s, e = m.span()
        line = m.group()
        s += len(line) - len(line.lstrip())
        e -= len(line) - len(line.rstrip())
        out.append(Paragraph(s, e))
    del text
    return story.with_layer("paragraphs", out, stage="paragraphs")


# Abbreviations after which a full stop does not end a sentence.
_ABBREV = frozenset(
    (
        "Mr Mrs Ms Mx Dr St Mt Jr Sr Prof Rev Gen Col Capt Lt Sgt Cpl Maj Adm Gov Sen Rep Hon "
        "Messrs Mme Mlle Esq vs etc No Nos Vol Ch Fig Ft Co Inc Ltd Bros Ave Rd Jan Feb Mar Apr "
        "Jun Jul Aug Sep Sept Oct Nov Dec cf viz e.g i.e"
    ).split()
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")

# A sentence may end after . ! ? (or a run of them, or an ellipsis), or after a dash that
# breaks speech off before its closing quote ("I was going to--"), then optional closing
# quotes and brackets, when white space follows and the next thing starts a sentence: an
# upper-case letter, a digit, or an opening quote / bracket / dash before one. (The pattern
# opens with a plain character class so that the regex engine can scan for it quickly.)
_END = re.compile(
    r"""
    [.!?\u2026\u2014\u2013-]
    (?:(?<=[.!?\u2026])[.!?\u2026]*|(?<=[\u2014\u2013-])[\u2014\u2013-]*(?=[\"'\u201d\u2019\u00bb]))
    [\"'\u201d\u2019\u00bb)\]*_~]*
    (?=\s+(?:[\u2014\u2013]\s?|--\s?)?[\"'\u201c\u2018\u00ab(\[*_~\u2014-]*[A-Z0-9\u00c0-\u00de])
    """,
    re.VERBOSE,
)


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation or an initial, not a sentence."""
    if text[dot] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not m:
        return False
    word = m.group(1)
    if word in _ABBREV or word.title() in _ABBREV:  # Mr., MR., Rev.
        return True
    # an initial (J. R. Hale) or a dotted acronym (U.S.N. Co.)
    return (len(word) == 1 and word.isupper()) or _ACRONYM.fullmatch(word) is not None


_ACRONYM = re.compile(r"(?:[A-Z]\.)+[A-Z]")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (one paragraph).

    >>> t = 'He ran. "Stop!" she said. Mr. Gray came.'
    >>> [t[s:e] for s, e in split_sentences(t, 0, len(t))]
    ['He ran.', '"Stop!" she said.', 'Mr. Gray came.']
    """
    spans = []
    pos = start
    for m in _END.finditer(text, start, end):
        if m.end() - m.start() == 1 and _is_abbreviation(text, m.start()):
            continue
        e = m.end()
        spans.append((pos, e))
        pos = e
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        spans.append((pos, end))
    return spans


@stage("sentences", requires=("paragraphs",), assigns=("sentences",))
def sentences(story: Story) -> Story:
    """Split every paragraph into sentences."""
    text = story.text
    out = [
        Sentence(s, e)
        for p in story.layer("paragraphs")
        for s, e in split_sentences(text, p.start_char, p.end_char)
    ]
    return story.with_layer("sentences", out, stage="sentences")


# Tildes, asterisks and underscores mark thoughts and emphasis in fan fiction: a run of them
# at either end of a word is split off as one token ("~*Hi*~" -> "~", "*", "Hi", "*", "~";
# "word**" -> "word", "**"). This used to be done by appending ``~+ \*+ _+`` to spaCy's prefix
# and suffix patterns; the wrappers below give the same splits (a longer pattern in the
# combined regex only wins where spaCy's own patterns find nothing earlier) while leaving
# spaCy's compiled patterns alone, which keeps the tokenizer as fast as the bare one.
_MARKS = "~*_"
_TILDES = re.compile(r"~+")
_MARK_RUN_END = re.compile(r"(?:~+|\*+|_+)$")


def _with_marks(prefix_search: Any, suffix_search: Any) -> tuple[Any, Any]:
    """Prefix and suffix search functions that also split off runs of ``~ * _``.

    >>> import re
    >>> pre, suf = _with_marks(re.compile(r"^\\*|^_").search, re.compile(r"\\*$|_$|!$").search)
    >>> pre("~~hi").group(), pre("**hi").group(), pre("hi") is None
    ('~~', '*', True)
    >>> suf("hi**").group(), suf("hi!").group(), suf("hi") is None
    ('**', '!', True)
    """

    def prefix(string: str) -> Any:
        found = prefix_search(string)
        # spaCy's own patterns already split single "*" and "_" off the front, first.
        if found is None and string[:1] == "~":
            return _TILDES.match(string)
        return found

    def suffix(string: str) -> Any:
        found = suffix_search(string)
        if string and string[-1] in _MARKS:
            run = _MARK_RUN_END.search(string)
            if run is not None and (found is None or run.start() < found.start()):
                return run
        return found

    return prefix, suffix


#: how many distinct strings the tokenizer's pattern look-ups remember (each pattern)
_MEMO = 1 << 16


@dataclass(frozen=True, slots=True)
class _Found:
    """Where a pattern matched: all spaCy reads of a regex match."""

    begin: int
    finish: int

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


@lru_cache(maxsize=4096)
def _found(begin: int, finish: int) -> _Found:
    return _Found(begin, finish)


def _memo(find: Any, keep: Any) -> Any:
    """``find`` remembering ``keep(find(string))`` for up to :data:`_MEMO` strings.

    The kept values are shared small objects, ``None``, booleans or tuples of them, so that
    a full cache costs the garbage collector little.

    >>> look = _memo(len, bool)
    >>> look("abc"), look("")
    (True, False)
    """
    cache: dict[str, Any] = {}

    def look(string: str) -> Any:
        try:
            return cache[string]
        except KeyError:
            if len(cache) >= _MEMO:
                cache.clear()
            kept = cache[string] = keep(find(string))
            return kept

    return look


def _span(match: Any) -> _Found | None:
    return None if match is None else _found(match.start(), match.end())


def _spans(matches: Any) -> tuple[_Found, ...]:
    return tuple(_found(m.start(), m.end()) for m in matches)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    tokenizer: Any = nlp.tokenizer
    prefixes = spacy.util.compile_prefix_regex(list(nlp.Defaults.prefixes or [])).search
    suffixes = spacy.util.compile_suffix_regex(list(nlp.Defaults.suffixes or [])).search
    prefix, suffix = _with_marks(prefixes, suffixes)
    # The same words come back all the time: remember what each pattern found for each string.
    infix, url = tokenizer.infix_finditer, tokenizer.url_match
    tokenizer.prefix_search = _memo(prefix, _span)
    tokenizer.suffix_search = _memo(suffix, _span)
    if infix is not None:
        tokenizer.infix_finditer = _memo(infix, _spans)
    if url is not None:
        tokenizer.url_match = _memo(url, bool)
    return tokenizer


# The text goes to spaCy in pieces of about _PIECE characters cut at line ends: spaCy stops
# caching its word splits for the rest of a call once it meets a special case (an
# abbreviation, a contraction), so short calls let it reuse them. Offsets and the white-space
# check are then done with numpy over blocks of about _CHUNK characters.
_CHUNK = 200_000
_PIECE = 5_000
_NON_SPACE = re.compile(r"\S+")
#: code point -> is white space (str.isspace), for code points up to U+3000; none above is.
_SPACE_LIMIT = 0x3001


@lru_cache(maxsize=1)
def _space_table() -> Any:
    import numpy as np

    return np.array([chr(c).isspace() for c in range(_SPACE_LIMIT)] + [False], dtype=bool)


def _blocks(text: str, size: int) -> Iterator[tuple[int, int]]:
    """``(start, end)`` pieces of about ``size`` characters, cut at a line end or other white space."""
    pos = 0
    n = len(text)
    while pos < n:
        cut = n if n - pos <= size else text.rfind("\n", pos, pos + size)
        if cut <= pos:
            cut = min(n, pos + size)
            while cut < n and not text[cut].isspace():
                cut += 1
        yield pos, cut
        pos = cut


def tokenize(text: str) -> Tokens:
    """Tokens of ``text`` as offset arrays (white space dropped).

    >>> t = tokenize("Don' be scared.")
    >>> [("Don' be scared."[s:e]) for s, e in zip(t.starts, t.ends)]
    ['Don', "'", 'be', 'scared', '.']
    """
    import numpy as np
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    tok = _tokenizer()
    table = _space_table()
    starts: array[int] = array("l")
    ends: array[int] = array("l")
    for start, end in _blocks(text, _CHUNK):
        parts = []
        for pos, cut in _blocks(text[start:end], _PIECE):
            arr = tok(text[start + pos : start + cut]).to_array([IDX, LENGTH, IS_SPACE]).astype(np.int64)
            arr = arr[arr[:, 2] == 0]
            arr[:, 0] += pos
            parts.append(arr)
        if not parts:
            continue
        arr = np.concatenate(parts)
        s = arr[:, 0]
        e = s + arr[:, 1]
        # A token with white space inside (a special case spanning it) is cut at the white space.
        code = np.frombuffer(text[start:end].encode("utf-32-le"), dtype=np.uint32)
        space = np.zeros(len(code) + 1, dtype=np.int32)
        np.cumsum(table[np.minimum(code, _SPACE_LIMIT)], out=space[1:])
        for i in np.flatnonzero(space[e] != space[s])[::-1].tolist():
            a, b = int(s[i]), int(e[i])
            pieces = [(a + m.start(), a + m.end()) for m in _NON_SPACE.finditer(text[start + a : start + b])]
            s = np.concatenate((s[:i], np.array([p[0] for p in pieces], dtype=np.int64), s[i + 1 :]))
            e = np.concatenate((e[:i], np.array([p[1] for p in pieces], dtype=np.int64), e[i + 1 :]))
        width = f"i{starts.itemsize}"  # the C long of array("l")
        starts.frombytes((s + start).astype(width).tobytes())
        ends.frombytes((e + start).astype(width).tobytes())
    return Tokens(starts, ends)


@stage("tokens", requires=("text",), assigns=("tokens",))
def tokens(story: Story) -> Story:
    """Tokenise the whole text with spaCy's rule-based English tokenizer."""
    return story.with_tokens(tokenize(story.text), stage="tokens")
