"""Acceptance (issue 2): the seed's 12 quotes and thoughts, exactly the gold spans and kinds."""

import pytest

import fabula

from ..conftest import SEED, need


@pytest.mark.issue(2)
def test_seed_quotes_match_gold_exactly(seed_gold):
    story = fabula.read(need(SEED / "story.txt"))
    found = [(q.start_char, q.end_char, q.kind) for q in story.layer("quotes")]
    gold = [(q["start"], q["end"], q["kind"]) for q in seed_gold["quotes"]]
    assert found == gold
    for q in story.layer("quotes"):
        assert story.span_text(q)[0] in '"~'
