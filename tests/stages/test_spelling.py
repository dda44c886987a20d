"""Spelling (issue 6): non-words in narration, confused words in context, names spelled two ways."""

import pytest

import fabula
from fabula.stages.lexicon import lexicon
from fabula.stages.spelling import _RULE_KEYS, CONFUSED, confused_words

from ..conftest import SEED, need


def _flags(text):
    s = fabula.analyze(text)
    return [(s.span_text(m), m.suggestion) for m in s.layer("misspellings")]


@pytest.mark.parametrize(
    ("text", "flag", "suggestion"),
    [
        ("He struggled to breath in.", "breath in", "breathe in"),
        ("She took a deep breathe and went in.", "breathe", "breath"),
        ("I don't want to loose you.", "loose", "lose"),
        ("The knot came lose at once.", "lose", "loose"),
        ("Their is no way out.", "Their", "There"),
        ("They were going to their own house, in there own time.", "there", "their"),
        ("Its a trap.", "Its", "It's"),
        ("The cat licked it's own paw.", "it's", "its"),
        ("You could of told me.", "of", "have"),
        ("She was taller then him.", "then", "than"),
    ],
)
def test_spelling_confused_words_in_context(text, flag, suggestion):
    got = [(text[m.start_char : m.end_char], m.suggestion) for m in confused_words(text)]
    assert (flag, suggestion) in got


@pytest.mark.parametrize(
    "text",
    [
        "He held his breath.",
        "Its fur was wet, and its eyes shone.",
        "It's raining; their coats are wet; there is no bus.",
        "She let loose a cry.",
        "He could of course refuse.",
        "Ann was much younger then.",
        "They would lose their way.",
    ],
)
def test_spelling_confused_words_leave_correct_text_alone(text):
    assert confused_words(text) == []


def test_spelling_rule_keys_match_rules():
    assert len(_RULE_KEYS) == len(CONFUSED)


def test_spelling_non_word_in_narration_with_suggestion():
    assert ("hesistated", "hesitated") in _flags("Mara hesistated at the door. Then she went in.")


def test_spelling_no_flag_on_dialect_in_speech():
    assert _flags("\"Don' be scared, I'z won' hur' ya, ya hear?\" he said. \"Their is nothin' to fear.\"") == []


def test_spelling_no_flag_on_invented_words_used_consistently():
    text = "The zorblat hummed. Everyone feared the zorblat. Mara fed the zorblat a grape."
    assert _flags(text) == []


def test_spelling_name_spelled_two_ways_is_flagged_once():
    text = " ".join(["Hermione smiled."] * 4) + " Then Hermoine laughed. Later Hermoine left."
    got = _flags(text)
    assert got == [("Hermoine", "Hermione")]


def test_spelling_capitalised_names_are_not_flagged():
    assert _flags("Then Zanthrax came, and Vellumina followed him.") == []


def test_spelling_lexicon_knows_inflections_and_compounds():
    lex = lexicon()
    for w in ("hesitated", "blushing", "shelves", "realised", "colourful", "typewritten", "fox-like", "couldn't"):
        assert lex.known(w), w
    for w in ("hesistated", "recieved", "zorblat"):
        assert not lex.known(w), w


@pytest.mark.issue(6)
def test_spelling_seed_finds_gold_misspellings_and_spares_dialect_and_names(seed_gold):
    story = fabula.read(need(SEED / "story.txt"))
    found = {(m.start_char, m.end_char): m for m in story.layer("misspellings")}
    assert (75, 84) in found and found[(75, 84)].suggestion == "breathe in"
    hes = [m for m in found.values() if story.span_text(m) == "hesistated"]
    assert hes and hes[0].suggestion == "hesitated"
    gin = [(q["start"], q["end"]) for q in seed_gold["quotes"] if q["speaker"] == "gin"]
    assert not [m for m in found.values() if any(s <= m.start_char < e for s, e in gin)], "a flag on Gin's dialect"
    names = {a for c in seed_gold["characters"] for a in c["aliases"]} | {"Seireitei", "Hell"}
    assert not [m for m in found.values() if story.span_text(m) in names], "a flag on a name"
    gold = {(m["start"], m["end"]) for m in seed_gold["misspellings"]}
    assert set(found) <= gold, "a flag that the gold does not have"
