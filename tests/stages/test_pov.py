"""Point of view (issue 6): whose head each passage is in, and head-hops."""

import itertools

import pytest

import fabula
from fabula.model import Character, Pov
from fabula.stages.pov import head_hops, pov

from ..conftest import SEED, need

HOP = (
    "Mara knew it was late. She felt tired.\n\nTom waited. He knew she was lying, and he wanted to leave.\n\nMara sat."
)
CAST = [Character("mara", "Mara", pronouns="she"), Character("tom", "Tom", pronouns="he")]


def _pov(text, cast=CAST):
    story = fabula.analyze(text).with_characters(cast, stage="test")
    return pov(story)


def test_pov_tiles_the_text():
    s = _pov(HOP)
    spans = s.layer("pov")
    assert spans[0].start_char == 0 and spans[-1].end_char == len(s.text)
    assert all(a.end_char == b.start_char for a, b in itertools.pairwise(spans))


def test_pov_head_hop_inside_a_scene():
    s = _pov(HOP)
    assert [(p.character, p.head_hop) for p in s.layer("pov")] == [("mara", False), ("tom", True), ("mara", False)]
    assert [p.character for p in head_hops(s)] == ["tom"]


def test_pov_a_scene_break_is_not_a_head_hop():
    text = (
        "Mara knew it was late. She felt tired, and she wanted to sleep.\n\n* * *\n\n"
        "Tom waited. He knew she was lying, and he wanted to leave. He felt sick."
    )
    s = _pov(text)
    assert [(p.character, p.head_hop) for p in s.layer("pov")] == [("mara", False), ("tom", False)]


def test_pov_an_action_beat_by_another_character_is_no_hop():
    s = _pov("Mara knew it was late. She felt tired.\n\nTom knelt down.\n\nShe wanted to sleep.")
    assert [p.character for p in s.layer("pov")] == ["mara"]


def test_pov_first_person():
    s = _pov("I knew it was late. I felt tired, and I wanted to sleep. Then I heard the door.", cast=[])
    assert [(p.person, p.character) for p in s.layer("pov")] == [("first", None)]


def test_pov_outside_narrator_when_no_one_has_a_head():
    s = _pov("The town slept. Rain fell on the roofs. A cart went by.", cast=[])
    assert [p.person for p in s.layer("pov")] == ["outside"]


@pytest.mark.issue(6)
def test_pov_seed_kira_then_gin_hop_then_kira(seed_gold):
    story = fabula.read(need(SEED / "story.txt"))
    spans = [p for p in story.layer("pov") if isinstance(p, Pov)]
    gold = seed_gold["pov"]
    assert len(spans) == len(gold) == 3
    names = {c.id: {a.name for a in c.aliases} | {c.name} for c in story.characters}
    for p, g in zip(spans, gold, strict=True):
        assert (p.start_char, p.end_char) == (g["start"], g["end"])
        assert "Gin" in names[p.character] if g["character"] == "gin" else "Kira" in names[p.character]
    assert [p.head_hop for p in spans] == [False, True, False]


def test_pov_pronoun_of_the_other_gender_is_the_last_named():
    text = (
        "Mara knew it was late. She felt tired.\n\n"
        "Tom came in and sat by the fire.\n\n"
        "The rain went on. He knew she was lying, and he wanted to leave.\n\n"
        "Mara sat."
    )
    s = _pov(text)
    assert [(p.character, p.head_hop) for p in s.layer("pov")] == [("mara", False), ("tom", True), ("mara", False)]


def test_pov_focal_is_whose_inner_life_is_shown_not_who_acts_most():
    # Tom starts more sentences; only Mara's thoughts and feelings are told.
    text = (
        "Tom lifted the crate. Tom set it down. Tom wiped his hands on his coat.\n\n"
        "Mara watched him. She knew he was hiding something, and she wanted to ask. Her heart raced.\n\n"
        "Tom turned away. Tom whistled."
    )
    s = _pov(text)
    assert {p.character for p in s.layer("pov")} == {"mara"}
