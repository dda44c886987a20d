"""The speakers stage (issue 4): golden cases from tests/cases/speakers.json and unit behaviour."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import fabula
from fabula.model import Alias, Character, Quote, Story
from fabula.pipeline import Pipeline
from fabula.stages.speakers import MIN_CONFIDENCE, speakers

CASES = json.loads((Path(__file__).parent.parent / "cases" / "speakers.json").read_text(encoding="utf-8"))["cases"]
_UP_TO_QUOTES = Pipeline(["paragraphs", "structure", "sentences", "quotes"])


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def attribute(text: str, cast: list[dict] | None = None) -> Story:
    """Run the stages up to quotes, give the story a hand-built cast, then attribute."""
    story = fabula.analyze(text, pipeline=_UP_TO_QUOTES)
    if cast is not None:
        chars = [
            Character(
                _slug(c["name"]),
                c["name"],
                tuple(Alias(a, 1) for a in (c["name"], *c.get("aliases", ()))),
                c.get("pronouns", "unknown"),
            )
            for c in cast
        ]
        story = story.with_characters(chars, stage="test")
    return speakers(story)


def _name(story: Story, cid: str | None) -> str | None:
    c = story.character(cid)
    return c.name if c else cid


def _params():
    for c in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=c["comment"])] if c["expect"] == "fail" else []
        yield pytest.param(c, marks=marks, id=c["label"])


@pytest.mark.issue(4)
@pytest.mark.parametrize("case", list(_params()))
def test_speakers_golden_case(case):
    story = attribute(case["text"], case["characters"])
    found = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    assert len(found) == len(case["expected"]), [story.span_text(q) for q in found]
    for q, (who, method) in zip(found, case["expected"], strict=True):
        assert _name(story, q.speaker) == who, (story.span_text(q), q.method)
        if method is not None:
            assert (q.method or "").startswith(method), (story.span_text(q), q.method)
    if "addressees" in case:
        assert [sorted(_name(story, a) for a in q.addressees) for q in found] == [sorted(a) for a in case["addressees"]]
    if "remembered" in case:
        assert [q.remembered for q in found] == case["remembered"]


def test_speakers_confidence_in_range_and_null_below_threshold():
    story = attribute(CASES[8]["text"], CASES[8]["characters"])
    for q in story.layer("quotes"):
        assert 0.0 <= q.confidence <= 1.0
        assert (q.speaker is None) == (q.confidence < MIN_CONFIDENCE)
        assert (q.speaker is None) == (q.method is None)


def test_speakers_marks_characters_who_speak():
    story = attribute('"Hello," said Marta.\n\nJon waved.', [{"name": "Marta"}, {"name": "Jon"}, {"name": "Orla"}])
    speaks = {c.name: c.speaks for c in story.characters}
    assert speaks == {"Marta": True, "Jon": False, "Orla": False}


def test_speakers_vocative_never_names_speaker():
    # "he" would resolve to Bram, the latest man named; Bram is the one addressed, so not the speaker
    story = attribute(
        "Teodor watched Bram climb the wall.\n\n\"Bram, come down,\" he said.",
        [{"name": "Teodor", "pronouns": "he"}, {"name": "Bram", "pronouns": "he"}],
    )
    (q,) = story.layer("quotes")
    assert (q.speaker, q.addressees) == ("teodor", ("bram",))


def test_speakers_works_without_a_characters_stage():
    story = attribute('"Where to?" asked Marta.\n\n"Home," said Jon.\n\n"Why?"\n\n"Because."')
    assert [q.speaker for q in story.layer("quotes")] == ["marta", "jon", "marta", "jon"]
    assert {c.id for c in story.characters if c.speaks} == {"marta", "jon"}


def test_speakers_spans_unchanged():
    text = CASES[11]["text"]
    before = fabula.analyze(text, pipeline=_UP_TO_QUOTES).layer("quotes")
    after = attribute(text, CASES[11]["characters"]).layer("quotes")
    assert [(q.start_char, q.end_char, q.kind) for q in before] == [(q.start_char, q.end_char, q.kind) for q in after]


def test_speakers_thoughts_have_no_addressees():
    story = attribute(CASES[13]["text"], CASES[13]["characters"])
    assert all(q.addressees == () for q in story.layer("quotes") if q.kind == "thought")


def test_speakers_remembered_line_then_present_speaker():
    # the memory frame covers the lines before narration shows the speaker present
    text = (
        "Nell sat alone by the hearth. Keep the fire lit, that was what Tam had always told her.\n\n"
        '"Ya keep it burnin\', lass."\n\n'
        "She looked up. But no, there was Tam in the doorway, grinning.\n\n"
        '"Did ya miss me?"'
    )
    story = attribute(text, [{"name": "Nell", "pronouns": "she"}, {"name": "Tam", "pronouns": "he"}])
    got = [(q.speaker, q.remembered) for q in story.layer("quotes")]
    assert got == [("tam", True), ("tam", False)]


def test_speakers_first_person_narrator_becomes_a_character():
    story = attribute('"Where are you going?" I asked.\n\n"Home," said Marta.', [{"name": "Marta", "pronouns": "she"}])
    first, second = story.layer("quotes")
    assert (first.speaker, second.speaker) == ("narrator", "marta")
    narrator = story.character("narrator")
    assert narrator is not None and narrator.speaks
    assert any(m.character == "narrator" for m in story.layer("mentions"))


@pytest.mark.issue(4)
@pytest.mark.parametrize(
    ("text", "pos", "start"),
    [
        ("Jon left. Mrs. Pell stayed behind.", 30, "Mrs. Pell stayed behind."),
        ("Jon left. J. R. Pell stayed behind.", 30, "J. R. Pell stayed behind."),
        ("Jon left. Then Dr. Vance spoke.", 28, "Then Dr. Vance spoke."),
        ("It rained! Nell ran.", 18, "Nell ran."),
    ],
)
def test_speakers_sentence_start_passes_over_titles_and_initials(text, pos, start):
    from fabula.stages.speakers import _sentence_start

    assert text[_sentence_start(text, 0, pos) :] == start


@pytest.mark.issue(4)
def test_speakers_tag_particle_is_not_a_preposition():
    from fabula.stages import speakers_lexicon as lx

    # "said in an altered tone": no verb "said in" with the subject "an altered tone"
    assert lx.TAG_BEFORE.search("then Meg said in an altered tone, ") is None
    assert lx.TAG_AFTER.match(", chimed in Nell.").group("subj2") == "Nell"


@pytest.mark.issue(4)
def test_speakers_passive_tag_names_nobody():
    # "This was said ...": a passive, not a nominal subject "this was"
    story = attribute(
        '"Can you come at once?" This was said with great gravity.\n\n"I can," said Jon.',
        [{"name": "Jon", "pronouns": "he"}, {"name": "Marta", "pronouns": "she"}],
    )
    assert all(c.name != "this was" for c in story.characters)


@pytest.mark.issue(4)
def test_speakers_told_object_with_adverb_is_no_character():
    text = (
        "Tamsin checked the board again. Daniel had taken the early train without her.\n\n"
        "He had told her once, 'Never trust a timetable,' and she hadn't forgotten it."
    )
    story = fabula.analyze(text)  # the whole pipeline: the cast is the characters stage's
    (q,) = story.layer("quotes")
    assert "her once" not in {c.name.lower() for c in story.characters}
    assert q.remembered
    assert _name(story, q.speaker) == "Daniel"


@pytest.mark.issue(4)
def test_speakers_addressee_never_across_a_scene_break():
    text = (
        'Lin and Tova stood at the gate.\n\n"We should go," Lin said.\n\nxXxXxXx\n\n'
        'Oren was waiting at the bridge. He had been there an hour.'
    )
    story = fabula.analyze(text)
    (q,) = story.layer("quotes")
    assert _name(story, q.speaker) == "Lin"
    assert [_name(story, a) for a in q.addressees] == ["Tova"]
