"""Characters stage conventions that speaker attribution leans on (issue 3, for issue 4)."""

from __future__ import annotations

import pytest

import fabula
from fabula.characters.cluster import cluster_names, marital
from fabula.characters.tables import TABLES


def _chars(story: fabula.Story) -> dict[str, set[str]]:
    return {c.name: {a.name for a in c.aliases} for c in story.characters}


def _mention(story: fabula.Story, text: str) -> fabula.model.Mention:
    return next(m for m in story.layer("mentions") if story.span_text(m) == text)


@pytest.mark.issue(3)
def test_cluster_miss_and_mrs_of_one_family_are_two_women():
    text = "Miss Hartley and Mrs. Hartley took tea. Miss Hartley poured; Mrs. Hartley watched."
    spans = [(0, 12), (17, 30), (40, 52), (61, 74)]
    assert cluster_names(text, spans) == ["c0", "c1", "c0", "c1"]
    assert marital(("miss",)) == "u" and marital(("lady",)) == "m"


@pytest.mark.issue(3)
def test_cluster_mrs_surname_is_not_the_girl_called_by_her_given_name():
    text = "Ruth Calder ran. Ruth fell. Ruth laughed. Mrs. Calder sighed."
    spans = [(0, 11), (17, 21), (28, 32), (42, 54)]
    ids = cluster_names(text, spans)
    assert ids[:3] == ["c0", "c0", "c0"] and ids[3] == "c1"


@pytest.mark.issue(3)
def test_cluster_nickname_izzy_names_isadora():
    assert "izzy" in TABLES.variants("isadora")


@pytest.mark.issue(3)
def test_resolve_possessive_spouse_joins_the_titled_relative():
    text = (
        "Mr. Thorne came home late. Mrs. Thorne was at the window and Mr. Pike was at the gate. "
        "Mr. Thorne sat down by the fire. He smiled, and his wife laughed at him."
    )
    story = fabula.analyze(text)
    wife = _mention(story, "his wife")
    assert wife.character is not None
    assert wife.character == _mention(story, "Mrs. Thorne").character


@pytest.mark.issue(3)
def test_resolve_possessive_parent_needs_a_shared_family_name():
    text = "Mrs. Pike waved from the gate. Dora Lane ran down the lane. Her mother called after her."
    story = fabula.analyze(text)
    assert _mention(story, "Her mother").character is None


@pytest.mark.issue(3)
def test_resolve_name_only_in_speech_and_never_called_out_is_not_joined_to_addressee():
    text = (
        'Mirela stood at the door. Tomas Reed came in.\n\n"I saw the Margery Ash come in," Tomas said.\n\n'
        '"Then we wait," Mirela said.\n\n"The Margery Ash will sail at dawn," Tomas said.'
    )
    story = fabula.analyze(text)
    mirela = next(c for c in story.characters if "Mirela" in {a.name for a in c.aliases})
    assert {a.name for a in mirela.aliases} == {"Mirela"}


@pytest.mark.issue(3)
def test_resolve_ungendered_description_is_not_joined_to_a_named_character():
    text = "Ada Vey sat by the stove. The servant brought in the tea and left."
    story = fabula.analyze(text)
    servant = _mention(story, "The servant")
    ada = next(c for c in story.characters if c.name == "Ada Vey")
    assert servant.character != ada.id


@pytest.mark.issue(3)
def test_resolve_indefinite_newcomer_is_an_unnamed_character_pronouns_name():
    text = (
        "Ada Vey stood behind the counter. A tall man came into the shop. He looked at the shelves "
        'for a long while.\n\n"Have you any lamp oil?" he asked.'
    )
    story = fabula.analyze(text)
    man = _mention(story, "A tall man").character
    assert man is not None and man != "ada-vey"
    assert _mention(story, "He").character == man
    assert next(c for c in story.characters if c.id == "ada-vey").pronouns != "he"
