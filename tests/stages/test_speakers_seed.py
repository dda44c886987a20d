"""Acceptance (issue 4): on the seed, every quote and thought gets the gold speaker, the first
two lines are remembered, and every speech addressee is right.

Predicted character ids are mapped to the gold ids the way ``fabula eval`` maps them
(:func:`fabula.eval.score.map_characters`). Two runs: the default pipeline end to end, and the
speakers stage alone on the gold cast (so a characters-stage change cannot hide a speakers bug).
"""

from __future__ import annotations

import pytest

import fabula
from fabula.eval.reference import load_gold
from fabula.eval.score import map_characters
from fabula.model import Alias, Character
from fabula.pipeline import DEFAULT_STAGES, Pipeline
from fabula.stages.speakers import speakers

from ..conftest import SEED, need


@pytest.fixture(scope="module")
def seed_story():
    return fabula.read(need(SEED / "story.txt"))


@pytest.fixture(scope="module")
def gold_cast_story(seed_gold):
    before = Pipeline([n for n in DEFAULT_STAGES[: DEFAULT_STAGES.index("speakers")] if n != "characters"])
    story = fabula.read(need(SEED / "story.txt"), pipeline=before)
    cast = [
        Character(c["id"], c["name"], tuple(Alias(a, 1) for a in c["aliases"]), c["gender"])
        for c in seed_gold["characters"]
    ]
    return speakers(story.with_characters(cast, stage="gold"))


def _attribution(story, seed_gold, seed_text):
    ref = load_gold(SEED / "gold.json", seed_text, seed_gold)
    mapping = map_characters(story, ref)
    quotes = list(story.layer("quotes"))
    got = [
        (
            q.start_char,
            mapping.get(q.speaker or "", q.speaker),
            sorted(mapping.get(a, a) for a in q.addressees) if q.kind == "speech" else None,
            q.remembered,
        )
        for q in quotes
    ]
    want = [
        (
            g["start"],
            g["speaker"],
            sorted(g["addressees"]) if g["kind"] == "speech" else None,
            g.get("remembered", False),
        )
        for g in seed_gold["quotes"]
    ]
    return got, want


@pytest.mark.issue(4)
@pytest.mark.parametrize("run", ["default-pipeline", "gold-cast"])
def test_speakers_seed_matches_gold(run, seed_story, gold_cast_story, seed_gold, seed_text):
    story = seed_story if run == "default-pipeline" else gold_cast_story
    got, want = _attribution(story, seed_gold, seed_text)
    assert [g[:2] for g in got] == [w[:2] for w in want], "speakers"
    assert [g[3] for g in got] == [w[3] for w in want], "remembered: the first two lines only"
    assert [g[2] for g in got] == [w[2] for w in want], "addressees of speech"


@pytest.mark.issue(4)
def test_speakers_seed_untagged_gin_lines_by_voice(gold_cast_story):
    # the lines no tag, beat or frame covers: voice (eye dialect) is what tells they are Gin's
    by_voice = [q for q in gold_cast_story.layer("quotes") if q.method == "voice"]
    assert by_voice and all(q.speaker == "gin" for q in by_voice)
    assert all(0.0 < q.confidence <= 1.0 for q in gold_cast_story.layer("quotes"))


@pytest.mark.issue(4)
def test_speakers_seed_marks_speakers(gold_cast_story):
    assert {c.id: c.speaks for c in gold_cast_story.characters} == {"kira": True, "gin": True, "aizen": False}
