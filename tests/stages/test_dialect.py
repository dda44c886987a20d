"""Voice normalisation (issue 6): eye dialect in speech and its standard forms."""

import pytest

import fabula
from fabula.model import Normalization, Quote, Story
from fabula.stages.dialect import character_voices, dialect, normalize_text, normalize_word

from ..conftest import SEED, need


@pytest.mark.parametrize(
    ("form", "standard"),
    [
        ("blushin'", "blushing"),
        ("Don'", "Don't"),
        ("hur'", "hurt"),
        ("upse'", "upset"),
        ("matta'", "matter"),
        ("jus'", "just"),
        ("won'", "won't"),
        ("wouldn'", "wouldn't"),
        ("Wha's", "What's"),
        ("Tha's", "That's"),
        ("le's", "let's"),
        ("ya", "you"),
        ("Ya", "You"),
        ("meh", "me"),
        ("gonna", "going to"),
        ("'em", "them"),
        ("nothin'", "nothing"),
        ("an'", "and"),
        ("Cap'n", "Captain"),
        ("Ah've", "I've"),
        ("dinnae", "don't"),
        ("Cannae", "Can't"),
        ("aboot", "about"),
    ],
)
def test_dialect_normalize_word_gives_the_standard_form(form, standard):
    got = normalize_word(form)
    assert got is not None and got[0] == standard


@pytest.mark.parametrize("form", ["lads'", "James'", "Idzuru", "Captain", "dog's", "o'clock", "house", "said"])
def test_dialect_normalize_word_leaves_standard_words_and_names(form):
    assert normalize_word(form) is None


def test_dialect_uh_is_the_article_only_between_words():
    assert [(n.form, n.standard) for n in normalize_text("ya look like uh school girl")] == [("ya", "you"), ("uh", "a")]
    assert [n.form for n in normalize_text("Uh, I don't know.")] == []


def test_dialect_iz_depends_on_what_follows():
    got = {n.start_char: n.standard for n in normalize_text("I'z won' hurt. I'z gonna go.") if n.form == "I'z"}
    assert list(got.values()) == ["I", "I'm"]


def test_dialect_single_quote_mark_is_not_an_elision():
    # 'Is it true?' in a British-style story: the mark opens the quote, it is not "'is" (his)
    assert normalize_text("'Is it true?'") == []


def test_dialect_only_speech_is_normalised():
    text = "Ya know he was blushin' then. \"Ya seem upse',\" she said."
    story = Story(text=text).with_layer("quotes", [Quote(31, 47, kind="speech")], stage="test")
    got = dialect(story).layer("normalizations")
    assert [(story.span_text(n), n.standard) for n in got] == [("Ya", "You"), ("upse'", "upset")]
    assert all(isinstance(n, Normalization) and story.span_text(n) == n.form for n in got)


@pytest.mark.issue(6)
def test_dialect_seed_matches_gold_normalizations(seed_gold):
    story = fabula.read(need(SEED / "story.txt"))
    found = {(n.start_char, n.end_char): n for n in story.layer("normalizations")}
    right = 0
    for g in seed_gold["normalizations"]:
        n = found.get((g["start"], g["end"]))
        ok = [s.lower() for s in (g["standard"], *g.get("alternatives", []))]
        right += n is not None and n.standard.lower() in ok
    assert right >= 23, f"{right} of {len(seed_gold['normalizations'])} gold normalizations"
    gin = [(q["start"], q["end"]) for q in seed_gold["quotes"] if q["speaker"] == "gin"]
    outside = [n for n in found.values() if not any(s <= n.start_char and n.end_char <= e for s, e in gin)]
    assert outside == [], "normalizations outside Gin's speech"


def test_dialect_character_voices_need_speakers():
    text = '"Don\' be scared, ya hear?" "I am not scared."'
    quotes = [Quote(0, 26, kind="speech", speaker="gin"), Quote(27, 45, kind="speech", speaker="kira")]
    story = dialect(Story(text=text).with_layer("quotes", quotes, stage="test"))
    voices = character_voices(story)
    assert voices["gin"].dialect_share == pytest.approx(2 / 5)
    assert ("don'", "don't", 1) in voices["gin"].forms
    assert voices["kira"].dialect_share == 0.0 and voices["kira"].lines == 1
