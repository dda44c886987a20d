"""A log-linear ranker over speaker candidates for lines no tag covers (issue 4).

The speakers stage describes each candidate for an untagged line by a few named features
(turn-taking from the nearest attributed turns, the previous speakers, a beat before the
line, salience, voice, ...; see :func:`fabula.stages.speakers._guess`). This module turns
them into probabilities: ``p(c) = softmax(w . f(c))`` over the candidates. The weights ``w``
ship as ``fabula/data/speaker_model.json``, trained on LitBank with ``python -m train.speakers``
(seeded; the command and its cross-validated figures are in the file's ``meta``). Without
the file, :data:`HAND_WEIGHTS` (the rules' hand-set votes) are used.

>>> probs = score({"a": {"turn_before": 1.0}, "b": {"salience_0": 1.0}}, {"turn_before": 2.0})
>>> max(probs, key=lambda c: probs[c])
'a'
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

#: The rules' votes before the ranker was learned (scaled to give softmax confidences).
HAND_WEIGHTS: dict[str, float] = {
    k: 5.0 * v
    for k, v in {
        "turn_before": 0.55,
        "turn_after": 0.45,
        "vocative_answer": 0.25,
        "memory": 0.45,
        "beat_prev": 0.6,
        "salience_0": 0.08,
        "salience_1": 0.04,
        "salience_2": 0.027,
        "salience_3": 0.02,
        "voice_dialect": 0.9,
        "voice_plain": 0.3,
        "never_tagged": -0.1,
        # he / she in a tag: a subject named earlier in the paragraph wins outright, else salience
        "p_named_here": 10.0,
        "p_tagged_here": 10.0,
        "p_reply_to_last": -0.4,
        "p_salience_0": 0.4,
        "p_salience_1": 0.2,
        "p_salience_2": 0.1,
    }.items()
}
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "speaker_model.json"

_weights: dict[str, float] | None = None


def weights() -> dict[str, float]:
    """The weights in use: those set by :func:`set_weights`, else the shipped model, else the hand ones."""
    global _weights
    if _weights is None:
        try:
            _weights = {str(k): float(v) for k, v in json.loads(MODEL_PATH.read_text("utf-8"))["weights"].items()}
        except FileNotFoundError:
            _weights = dict(HAND_WEIGHTS)
    return _weights


def set_weights(w: Mapping[str, float] | None) -> None:
    """Use these weights from now on (``None``: reload the shipped model). For training and tests."""
    global _weights
    _weights = None if w is None else dict(w)


def weight(name: str) -> float:
    """The weight of one feature (0.0 when the model does not know it)."""
    return weights().get(name, 0.0)


def score(
    candidates: Mapping[str, Mapping[str, float]], w: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Each candidate's probability of being the speaker, from its features."""
    w = weights() if w is None else w
    raw = {c: sum(w.get(k, 0.0) * v for k, v in f.items()) for c, f in candidates.items()}
    top = max(raw.values(), default=0.0)
    exp = {c: math.exp(x - top) for c, x in raw.items()}
    total = sum(exp.values()) or 1.0
    return {c: x / total for c, x in exp.items()}
