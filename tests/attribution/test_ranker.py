"""The speaker candidate ranker (issue 4): probabilities, weights in use, and the stage's use of it."""

from __future__ import annotations

import math

import pytest

from fabula import analyze
from fabula.attribution import ranker
from fabula.stages import speakers as sp


@pytest.fixture
def hand_weights():
    ranker.set_weights(dict(ranker.HAND_WEIGHTS))
    yield
    ranker.set_weights(None)


def test_ranker_score_is_a_distribution_over_candidates():
    probs = ranker.score({"a": {"turn_before": 1.0}, "b": {"salience_0": 1.0}, "c": {}}, {"turn_before": 1.0})
    assert set(probs) == {"a", "b", "c"}
    assert math.isclose(sum(probs.values()), 1.0)
    assert probs["a"] > probs["b"] == probs["c"]


def test_ranker_score_ignores_unknown_features_and_survives_large_scores():
    probs = ranker.score({"a": {"nonsense": 5.0, "x": 900.0}, "b": {"x": 899.0}}, {"x": 1.0})
    assert probs["a"] > probs["b"] > 0.0


def test_ranker_set_weights_overrides_until_reset():
    ranker.set_weights({"turn_before": -3.0})
    try:
        assert ranker.weight("turn_before") == -3.0
        assert ranker.weight("unknown feature") == 0.0
    finally:
        ranker.set_weights(None)
    assert ranker.weights() is not None


def test_ranker_stage_records_features_for_untagged_lines(hand_weights):
    sp.FEATURE_SINK = []
    try:
        s = analyze('"Where to?" asked Marta.\n\n"Home," said Jon.\n\n"Why?"\n\n"Because."')
        sink = list(sp.FEATURE_SINK)
    finally:
        sp.FEATURE_SINK = None
    lines = [x for x in sink if x[0] == "line"]
    assert len(lines) == 2  # the two untagged lines
    _, start, end, feats = lines[0]
    assert s.text[start:end] == '"Why?"'
    assert feats["marta"]["turn_before"] > 0  # two turns back: Marta again
    assert "previous_speaker" in feats["jon"]


def test_ranker_stage_pronoun_tag_needs_gender_agreement(hand_weights):
    text = 'Ann walked in with Bob. "Hello," said Ann.\n\nBob nodded at the door, and then sat. "Sit," she said.'
    quotes = analyze(text).layer("quotes")
    # "she" skips Bob, the named subject of its paragraph, whose gender does not agree
    assert [(q.speaker, q.method) for q in quotes] == [("ann", "tag-after"), ("ann", "tag-after")]


def test_ranker_training_fit_learns_the_telling_feature():
    from train.speakers import fit

    examples = [({"a": {"good": 1.0, "noise": 1.0}, "b": {"noise": 1.0}}, {"a"}) for _ in range(20)]
    examples += [({"a": {"noise": 1.0}, "b": {"good": 1.0, "noise": 1.0}}, {"b"}) for _ in range(20)]
    examples.append(({"a": {"good": 1.0}}, set()))  # no positive: left out
    w = fit(examples, ["good", "noise"], l2=0.01, seed=1, steps=200)
    assert w["good"] > 1.0 and abs(w["noise"]) < 0.5
    held_out = {"x": {"noise": 1.0}, "y": {"good": 1.0}}
    assert max(ranker.score(held_out, w).items(), key=lambda kv: kv[1])[0] == "y"
