"""The mention model is reproducible from LitBank by a seeded command (issue 3)."""

from __future__ import annotations

import json

import pytest

from fabula.characters.detect import load_model

from ..conftest import LITBANK, ROOT, need


def test_characters_training_is_deterministic():
    from train.litbank import read_litbank
    from train.mentions import examples, train

    works = read_litbank(need(LITBANK))[:4]
    docs = [examples(w) for w in works]
    a = train(docs, epochs=2, seed=7)
    b = train(docs, epochs=2, seed=7)
    assert a.local == b.local and a.doc == b.doc and a.local


def test_characters_shipped_model_records_its_command():
    raw = json.loads((ROOT / "fabula" / "data" / "mentions.json").read_text(encoding="utf-8"))
    assert "python -m train.mentions" in raw["about"] and raw["seed"] == 13
    assert load_model().local == raw["local"]


@pytest.mark.slow
@pytest.mark.issue(3)
def test_characters_retraining_reproduces_the_shipped_model():
    from train.litbank import read_litbank
    from train.mentions import examples, train

    raw = json.loads((ROOT / "fabula" / "data" / "mentions.json").read_text(encoding="utf-8"))
    docs = [examples(w) for w in read_litbank(need(LITBANK))]
    model = train(docs, epochs=raw["epochs"], seed=raw["seed"])
    assert model.local == raw["local"] and model.doc == raw["doc"]


@pytest.mark.slow
def test_characters_stage_is_cheap_next_to_the_tokenizer():
    """On ~1 MB of novels the stage takes no longer than 1.5x spaCy's bare tokenizer."""
    import time

    import spacy

    from fabula.pipeline import Pipeline, default_pipeline, get_stage
    from fabula.readers.text import text_story

    parts, size = [], 0
    for p in sorted((need(LITBANK) / "original").glob("*.txt")):
        parts.append(p.read_text(encoding="utf-8"))
        size += len(parts[-1])
        if size >= 1_000_000:
            break
    text = "\n\n".join(parts)
    names = default_pipeline().names
    story = Pipeline(names[: names.index("characters")])(text_story(text))
    nlp = spacy.blank("en")
    t0 = time.perf_counter()
    nlp.tokenizer(text)
    t_tok = time.perf_counter() - t0
    t0 = time.perf_counter()
    get_stage("characters").func(story)
    t_stage = time.perf_counter() - t0
    assert t_stage <= 1.5 * t_tok, (t_stage, t_tok)
