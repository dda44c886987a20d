"""Mood (issue 6): VADER valence per paragraph, the smoothed arc, per scene and per character."""

import statistics

import pytest

import fabula
from fabula.model import Quote, Story
from fabula.stages.mood import arc, arc_sparkline, character_moods, scene_moods, smooth, sparkline, valence

from ..conftest import LITBANK, SEED, need


def test_mood_valence_signs():
    assert valence("She was happy and laughed with joy.") > 0.5
    assert valence("He was furious, and the pain was terrible.") < -0.5
    assert valence("He was not happy.") < 0
    assert valence("The chair stood by the door.") == 0.0


def test_mood_agrees_with_vader_itself():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    lines = [
        "I love this, it is wonderful!",
        "This is not good at all.",
        "The food was good, but the service was horrible.",
        "He was VERY angry.",
        "She was extremely kind and generous.",
        "Nothing could be worse than this terrible, awful day.",
        "It was okay, I guess?",
    ]
    for line in lines:
        assert valence(line) == pytest.approx(sia.polarity_scores(line)["compound"], abs=0.05), line


@pytest.mark.slow
def test_mood_correlates_with_vader_on_litbank():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sia = SentimentIntensityAnalyzer()
    paras = []
    for f in sorted(need(LITBANK / "original").glob("*.txt"))[:10]:
        paras += [p for p in f.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 5]
    mine = [valence(p) for p in paras]
    ref = [sia.polarity_scores(p)["compound"] for p in paras]
    assert statistics.correlation(mine, ref) > 0.97


def test_mood_stage_scores_every_story_paragraph():
    s = fabula.analyze("What a lovely day.\n\n* * *\n\nThe pain was awful.")
    vals = s.layer("valence")
    assert [s.span_text(v) for v in vals] == ["What a lovely day.", "The pain was awful."]
    assert vals[0].score > 0 > vals[1].score
    scenes = scene_moods(s)
    assert len(scenes) == 2 and scenes[0][2] > 0 > scenes[1][2]
    assert len(arc(s)) == 2


def test_mood_smooth_and_sparkline():
    assert smooth([1.0, 1.0, 1.0]) == [1.0, 1.0, 1.0]
    line = sparkline([-1.0, 1.0] * 100, width=20)
    assert len(line) == 20
    assert sparkline([]) == ""


def test_mood_per_character_needs_speakers():
    text = '"I love you," "I hate this."'
    quotes = [Quote(0, 13, kind="speech", speaker="a"), Quote(14, 28, kind="speech", speaker="b")]
    story = Story(text=text).with_layer("quotes", quotes, stage="test")
    moods = character_moods(story)
    assert moods["a"] > 0 > moods["b"]
    assert character_moods(Story(text=text).with_layer("quotes", [Quote(0, 13)], stage="test")) == {}


def test_mood_seed_arc_sparkline():
    story = fabula.read(need(SEED / "story.txt"))
    assert len(story.layer("valence")) == len(story.story_paragraphs())
    assert 0 < len(arc_sparkline(story)) <= 60
