"""Feedback for writers (issue 6): head-hops, unattributed runs, tag adverbs, said-bookisms, repetition,
long sentences, spelling; never deliberate dialect."""

import pytest

import fabula
from fabula.stages.feedback import FeedbackConfig, feedback_items, speech_tag_counts

from ..conftest import SEED, need


def _kinds(text, **cfg):
    s = fabula.analyze(text)
    items = feedback_items(s, FeedbackConfig(**cfg)) if cfg else list(s.layer("feedback"))
    return s, items


def test_feedback_tag_adverb():
    s, items = _kinds('"Come here," he said softly. "Now," she whispered urgently.')
    adv = [s.span_text(f) for f in items if f.kind == "tag-adverb"]
    assert adv == ["softly", "urgently"]


def test_feedback_said_bookisms_counted_once():
    text = '"A," he hissed. "B," she growled. "C," he chuckled. "D," she snapped. "E," he said.'
    _s, items = _kinds(text)
    notes = [f for f in items if f.kind == "said-bookism"]
    assert len(notes) == 1 and "4 of 5" in notes[0].reason
    assert speech_tag_counts(_s)["hissed"] == 1


def test_feedback_few_bookisms_are_fine():
    _s, items = _kinds('"A," he said. "B," she asked. "C," he gasped.')
    assert not [f for f in items if f.kind == "said-bookism"]


def test_feedback_unattributed_run():
    lines = "\n\n".join(f'"Line number {i}."' for i in range(8))
    _s, items = _kinds("Mara and Tom sat down.\n\n" + lines)
    runs = [f for f in items if f.kind == "unattributed"]
    assert len(runs) == 1 and "8 lines" in runs[0].reason


def test_feedback_repetition_in_narration_only():
    s, items = _kinds('The silent house was silent. "Never, never, never, never," she said.')
    reps = [s.span_text(f) for f in items if f.kind == "repetition"]
    assert reps == ["silent"]


def test_feedback_long_sentence():
    text = "She walked " + " and walked" * 30 + " home."
    _s, items = _kinds(text, long_sentence=40)
    assert [f.kind for f in items if f.kind == "long-sentence"] == ["long-sentence"]


def test_feedback_every_item_has_a_span_and_a_reason():
    s, items = _kinds('"Don\' be scared, ya," he said slyly. She hesistated. "Go," she hissed.')
    assert items
    for f in items:
        assert 0 <= f.start_char < f.end_char <= len(s.text) and f.reason and f.kind


@pytest.mark.issue(6)
def test_feedback_seed_has_the_head_hop_and_spares_dialect(seed_gold):
    story = fabula.read(need(SEED / "story.txt"))
    items = list(story.layer("feedback"))
    kinds = {f.kind for f in items}
    assert {"head-hop", "spelling", "tag-adverb"} <= kinds
    hop = next(f for f in items if f.kind == "head-hop")
    assert story.span_text(hop).startswith("Gin led Kira away")
    gin = [(q["start"], q["end"]) for q in seed_gold["quotes"] if q["speaker"] == "gin"]
    assert not [f for f in items if any(s <= f.start_char < e for s, e in gin)], "feedback inside Gin's dialect"


def test_feedback_issue6_layers_survive_json():
    story = fabula.analyze('"Don\' be scared, ya," he said slyly. She hesistated.\n\nHe knew it, and he felt it.')
    for layer in ("normalizations", "misspellings", "pov", "valence", "feedback"):
        assert story.layer(layer), layer
    assert fabula.Story.from_json(story.to_json()) == story
