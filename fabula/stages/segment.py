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


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    # Tildes, asterisks and underscores mark thoughts and emphasis in fan fiction: split them off.
    extra = [r"~+", r"\*+", r"_+"]
    prefixes = list(nlp.Defaults.prefixes or []) + extra
    suffixes = list(nlp.Defaults.suffixes or []) + extra
    tokenizer: Any = nlp.tokenizer
    tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    return tokenizer


_CHUNK = 200_000
_WS = re.compile(r"\s+")


def tokenize(text: str) -> Tokens:
    """Tokens of ``text`` as offset arrays (white space dropped).

    >>> t = tokenize("Don' be scared.")
    >>> [("Don' be scared."[s:e]) for s, e in zip(t.starts, t.ends)]
    ['Don', "'", 'be', 'scared', '.']
    """
    from spacy.attrs import IDX, IS_SPACE, LENGTH

    tok = _tokenizer()
    starts: array[int] = array("l")
    ends: array[int] = array("l")
    pos = 0
    n = len(text)
    while pos < n:
        cut = n if n - pos <= _CHUNK else text.rfind("\n", pos, pos + _CHUNK)
        if cut <= pos:
            cut = min(n, pos + _CHUNK)
            while cut < n and not text[cut].isspace():
                cut += 1
        arr = tok(text[pos:cut]).to_array([IDX, LENGTH, IS_SPACE])
        for idx, length, space in arr.tolist():
            if space:
                continue
            s = pos + idx
            e = s + length
            piece = text[s:e]
            if piece.strip() != piece or _WS.search(piece):
                for m in re.finditer(r"\S+", piece):
                    starts.append(s + m.start())
                    ends.append(s + m.end())
            else:
                starts.append(s)
                ends.append(e)
        pos = cut
    return Tokens(starts, ends)


@stage("tokens", requires=("text",), assigns=("tokens",))
def tokens(story: Story) -> Story:
    """Tokenise the whole text with spaCy's rule-based English tokenizer."""
    return story.with_tokens(tokenize(story.text), stage="tokens")
