"""Tokens: spaCy's English tokenizer with emphasis marks split off, in pieces, as arrays."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from fabula.stages import segment
from fabula.stages.segment import _with_marks, tokenize

_NLP = spacy.blank("en")
_PREFIXES = list(_NLP.Defaults.prefixes or [])
_SUFFIXES = list(_NLP.Defaults.suffixes or [])
# The patterns the tokenizer used to be built from: spaCy's, then runs of ~ * _ appended.
_COMBINED_PREFIX = spacy.util.compile_prefix_regex([*_PREFIXES, r"~+", r"\*+", r"_+"]).search
_COMBINED_SUFFIX = spacy.util.compile_suffix_regex([*_SUFFIXES, r"~+", r"\*+", r"_+"]).search
_PREFIX, _SUFFIX = _with_marks(
    spacy.util.compile_prefix_regex(_PREFIXES).search, spacy.util.compile_suffix_regex(_SUFFIXES).search
)

_WORDS = st.text(alphabet="ab.,!?'\"~*_-()$1%:s\u2014\u2026", min_size=1, max_size=12)


def _texts(text: str) -> list[str]:
    t = tokenize(text)
    return [text[s:e] for s, e in zip(t.starts, t.ends, strict=True)]


def test_segment_tokenize_splits_runs_of_emphasis_marks() -> None:
    assert _texts("~*Hi*~ she said **loudly** and __softly__.") == [
        "~", "*", "Hi", "*", "~", "she", "said", "*", "*", "loudly", "**", "and", "_", "_", "softly", "__", ".",
    ]  # fmt: skip
    assert _texts("~~wait~~") == ["~~", "wait", "~~"]


@given(_WORDS)
@settings(max_examples=400, deadline=None)
def test_segment_mark_affixes_match_the_combined_patterns(word: str) -> None:
    old, new = _COMBINED_PREFIX(word), _PREFIX(word)
    assert (old and old.group()) == (new and new.group())
    old, new = _COMBINED_SUFFIX(word), _SUFFIX(word)
    assert (old and old.start()) == (new and new.start())


@pytest.mark.parametrize("piece", [50, 10_000])
def test_segment_tokenize_does_not_depend_on_the_piece_size(monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    text = "\n".join(f'"Mr. Gray{i}, don\'t," she said ~*softly*~ at 10km/h...\n\n' for i in range(200))
    whole = tokenize(text)
    monkeypatch.setattr(segment, "_PIECE", piece)
    monkeypatch.setattr(segment, "_CHUNK", 3_000)
    cut = tokenize(text)
    assert list(cut.starts) == list(whole.starts)
    assert list(cut.ends) == list(whole.ends)
    assert all(
        not text[s:e].isspace() and re.search(r"\s", text[s:e]) is None
        for s, e in zip(cut.starts, cut.ends, strict=True)
    )
