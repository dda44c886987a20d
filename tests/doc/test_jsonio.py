"""The fabula/1 JSON: field names as in GOLD-FORMAT, exact round trip, and what from_json refuses (issue 2)."""

from __future__ import annotations

import copy
import dataclasses
import json
import re

import pytest

import fabula
import fabula.model as model
from fabula.errors import SchemaError, SpanError
from fabula.model import LAYER_TYPES, Alias, Character, Paragraph, Quote, Span, Story

from ..conftest import ROOT, SEED, need

TEXT = '"Where are you going?" asked Marta.\n\n~I should never have come,~ Wren thought.'


@pytest.fixture(scope="module")
def story() -> Story:
    s = fabula.analyze(TEXT)
    quotes = [dataclasses.replace(q, speaker="marta", addressees=("wren",), confidence=0.75) for q in s.layer("quotes")]
    chars = (
        Character("marta", "Marta", (Alias("Marta", 1),), pronouns="she", first_char=29, mentions=1, speaks=True),
        Character("wren", "Wren", (Alias("Wren", 1),), pronouns="she"),
    )
    return s.with_layer("quotes", quotes, stage="test").with_characters(chars, stage="test")


@pytest.fixture
def doc(story) -> dict:
    return json.loads(story.to_json())


@pytest.mark.issue(2)
def test_jsonio_document_has_schema_text_and_layers(doc, story):
    assert doc["schema"] == "fabula/1"
    assert doc["text"] == TEXT
    assert set(doc["layers"]) >= {"paragraphs", "sentences", "quotes", "scene_breaks", "paratext"}
    assert set(doc) >= {"schema", "text", "metadata", "source", "layers", "tokens", "characters", "warnings"}


@pytest.mark.issue(2)
def test_jsonio_quotes_carry_the_gold_fields(doc):
    q = doc["layers"]["quotes"][0]
    assert set(q) >= {"start", "end", "text", "kind", "speaker", "addressees", "confidence"}
    assert q["text"] == '"Where are you going?"'
    assert (q["start"], q["end"], q["kind"]) == (0, 22, "speech")
    assert (q["speaker"], q["addressees"], q["confidence"]) == ("marta", ["wren"], 0.75)
    assert [q["kind"] for q in doc["layers"]["quotes"]] == ["speech", "thought"]


def test_jsonio_unattributed_quote_has_null_speaker():
    q = json.loads(fabula.analyze('"Hello."').to_json())["layers"]["quotes"][0]
    assert q["speaker"] is None
    assert q["addressees"] == []


def test_jsonio_characters_use_gold_field_names(doc):
    c = doc["characters"][0]
    assert c["id"] == "marta"
    assert c["name"] == "Marta"
    assert c["aliases"] == ["Marta"]
    assert c["gender"] == "she"
    assert c["mentioned_only"] is False


@pytest.mark.issue(2)
def test_jsonio_round_trip_is_exact(story):
    assert Story.from_json(story.to_json()) == story
    assert Story.from_json(story.to_json().encode("utf-8")) == story
    assert Story.from_json(json.loads(story.to_json(indent=2))) == story


@pytest.mark.issue(2)
def test_jsonio_round_trip_seed():
    s = fabula.read(need(SEED / "story.txt"))
    again = Story.from_json(s.to_json())
    assert again == s
    assert again.to_json() == s.to_json()


def test_jsonio_round_trip_keeps_offsets_and_repairs():
    s = fabula.analyze("\ufeffCafÃ© noir.\r\nTwo.")
    again = Story.from_json(s.to_json())
    assert again.source == s.source
    assert again.source.offsets.to_source(3) == s.source.offsets.to_source(3)


def test_jsonio_every_span_class_is_registered():
    """A layer class missing from LAYER_TYPES would lose its fields in from_json."""
    classes = {c for c in vars(model).values() if isinstance(c, type) and issubclass(c, Span) and c is not Span}
    assert classes <= set(LAYER_TYPES.values()), classes - set(LAYER_TYPES.values())


# ------------------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("schema", "message"),
    [("fabula-gold/1", r"\[E053\].*'fabula-gold/1'"), ("fabula/2", r"\[E053\]"), (None, r"\[E053\].*None")],
)
def test_jsonio_rejects_wrong_schema(doc, schema, message):
    doc["schema"] = schema
    with pytest.raises(SchemaError, match=message):
        Story.from_json(doc)


def test_jsonio_rejects_a_span_that_does_not_slice_back(doc):
    doc["layers"]["quotes"][0]["start"] += 1
    with pytest.raises(SpanError, match=r"\[E051\].*layer 'quotes' claims the text"):
        Story.from_json(doc)


def test_jsonio_rejects_a_span_outside_the_text(doc):
    doc["layers"]["paragraphs"][-1]["end"] = len(TEXT) + 5
    doc["layers"]["paragraphs"][-1].pop("text")
    with pytest.raises(SpanError, match=r"\[E050\].*does not fit a text of"):
        Story.from_json(doc)


def test_jsonio_rejects_overlapping_tokens(doc):
    doc["tokens"]["start"][1] = doc["tokens"]["start"][0]
    with pytest.raises(SpanError, match=r"\[E050\].*layer 'tokens'"):
        Story.from_json(doc)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("text"), r"\[E054\].*KeyError"),
        (lambda d: d.update(text=42), r"\[E054\].*'text' is int"),
        (lambda d: d["layers"]["quotes"][0].pop("start"), r"\[E054\]"),
        (lambda d: d["layers"]["quotes"][0].update(start="0"), r"\[E054\]"),
        (lambda d: d["metadata"].update(colour="red"), r"\[E054\].*colour"),
        (lambda d: d["source"].update(offsets=[[5, 6, 5, 6], [0, 1, 0, 1]]), r"\[E054\].*offsets"),
    ],
    ids=["no-text", "text-int", "no-start", "start-str", "unknown-metadata", "offsets-unsorted"],
)
def test_jsonio_rejects_malformed_documents(doc, mutate, message):
    bad = copy.deepcopy(doc)
    mutate(bad)
    with pytest.raises(SchemaError, match=message):
        Story.from_json(bad)


@pytest.mark.parametrize("data", ["{not json", "[1, 2]", b"\xff\xfe"])
def test_jsonio_rejects_what_is_not_a_json_object(data):
    with pytest.raises(SchemaError, match=r"\[E05[34]\]"):
        Story.from_json(data)


def test_jsonio_unknown_layer_is_read_as_plain_spans(doc):
    doc["layers"]["glosses"] = [{"start": 0, "end": 1, "text": '"', "note": "x"}]
    s = Story.from_json(doc)
    assert s.layer("glosses") == (Span(0, 1),)


def test_jsonio_schema_doc_lists_every_layer_and_quote_field():
    schema = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert "fabula/1" in schema
    for name in LAYER_TYPES:
        assert re.search(rf"`{name}`", schema), f"docs/schema.md does not document the layer {name!r}"
    for f in dataclasses.fields(Quote):
        if f.name not in ("start_char", "end_char"):
            assert f"`{f.name}`" in schema, f"docs/schema.md does not document the quote field {f.name!r}"
    assert Paragraph.__name__  # the classes are importable from fabula.model
