"""The characters stage (issue 3): names, aliases, titles, nominals, pronouns, the seed."""

from __future__ import annotations

import pytest

import fabula
from fabula.characters.cluster import cluster_names, parse_form, spelling_variant
from fabula.characters.detect import find_names, load_model
from fabula.model import Mention
from fabula.stages.characters import resolve_at

from ..conftest import SEED, need


def _chars(story: fabula.Story) -> dict[str, set[str]]:
    return {c.name: {a.name for a in c.aliases} for c in story.characters}


def _char_of(story: fabula.Story, alias: str) -> fabula.Character:
    found = [c for c in story.characters if alias in {a.name for a in c.aliases}]
    assert len(found) == 1, (alias, story.characters)
    return found[0]


# --- the seed (acceptance) ---------------------------------------------------------------


@pytest.mark.issue(3)
def test_characters_seed_three_characters_with_their_names():
    story = fabula.read(need(SEED / "story.txt"))
    assert len(story.characters) == 3
    kira, gin, aizen = (_char_of(story, a) for a in ("Kira", "Gin", "Aizen"))
    assert {a.name for a in kira.aliases} >= {"Kira", "Idzuru", "Lieutenant"}
    assert {a.name for a in gin.aliases} >= {"Ichimaru Gin", "Ichimaru", "Gin", "Captain"}
    assert {a.name for a in aizen.aliases} == {"Aizen"}
    # nothing of one character's names in another's
    assert not ({a.name for a in kira.aliases} & {a.name for a in gin.aliases})
    assert [kira.pronouns, gin.pronouns, aizen.pronouns] == ["he", "he", "he"]
    assert aizen.mentioned_only and not kira.mentioned_only and not gin.mentioned_only


@pytest.mark.issue(3)
def test_characters_seed_places_are_not_characters():
    story = fabula.read(need(SEED / "story.txt"))
    names = {a.name for c in story.characters for a in c.aliases}
    assert not names & {"Seireitei", "Hell", "Following"}
    for m in story.layer("mentions"):
        assert story.span_text(m) not in ("Seireitei", "Hell")


@pytest.mark.issue(3)
def test_characters_seed_fox_like_man_joined_to_gin():
    story = fabula.read(need(SEED / "story.txt"))
    gin = _char_of(story, "Gin")
    assert "the fox-like man" in {a.name for a in gin.aliases}


@pytest.mark.issue(3)
def test_characters_seed_speaker_pronouns_resolve(seed_text):
    story = fabula.read(need(SEED / "story.txt"))
    gasped = seed_text.index("he gasped")
    said = seed_text.index("he said, slyly")
    assert resolve_at(story, gasped) == _char_of(story, "Kira").id
    assert resolve_at(story, said) == _char_of(story, "Gin").id


@pytest.mark.issue(3)
def test_characters_seed_mentions_are_spans_of_the_text():
    story = fabula.read(need(SEED / "story.txt"))
    ids = {c.id for c in story.characters}
    layer = story.layer("mentions")
    assert layer and all(isinstance(m, Mention) for m in layer)
    for m in layer:
        assert m.kind in ("proper", "title", "nominal", "pronoun")
        assert m.character is None or m.character in ids
        assert story.text[m.start_char : m.end_char].strip() == story.span_text(m)
    for c in story.characters:
        assert c.first_char is not None and c.mentions >= sum(a.count for a in c.aliases if a.name[:1].isupper())


# --- mentions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"Aw, Kira-kun," said Ichimaru Gin, and walked into Hell.', ["Kira-kun", "Ichimaru Gin"]),
        ("Hana-chan bowed to Satoshi-senpai and then to Mr. Weston.", ["Hana-chan", "Satoshi-senpai", "Mr. Weston"]),
        ("Rose smiled at Will. Will did not smile back, and Rose laughed.", ["Rose", "Will", "Will", "Rose"]),
        ("Seo-yeon waited by the gate until Ji-ho came home.", ["Seo-yeon", "Ji-ho"]),
    ],
)
def test_characters_detect_names(text, expected):
    assert [t for t, _, _ in find_names(text)] == expected


def test_characters_detect_model_ships_with_the_package():
    model = load_model()
    assert model.local and model.doc


def test_characters_titles_honorifics_and_vocatives():
    text = (
        'Captain Hal Brenner crossed the deck. "Lieutenant!" he called.\n\n'
        '"Sir?" Odile Marchetti answered. She saluted her captain.\n\n'
        '"Stay close, Odile," said Brenner.'
    )
    story = fabula.analyze(text)
    hal = _char_of(story, "Brenner")
    odile = _char_of(story, "Odile")
    assert "Captain Hal Brenner" in {a.name for a in hal.aliases}
    assert hal.id != odile.id
    assert odile.pronouns == "she"
    captain = next(m for m in story.layer("mentions") if story.span_text(m) == "her captain")
    assert captain.character == hal.id


# --- clustering -------------------------------------------------------------------------


def test_characters_cluster_family_name_first_and_titles():
    text = "Ichimaru Gin left. Gin smiled. Ichimaru waited. Captain Ichimaru nodded."
    spans = [(0, 12), (19, 22), (31, 39), (48, 65)]
    assert len(set(cluster_names(text, spans))) == 1


def test_characters_cluster_mr_and_mrs_are_two_people():
    text = "Mr. Weston came. Mrs. Weston stayed."
    assert len(set(cluster_names(text, [(0, 10), (17, 28)]))) == 2


def test_characters_cluster_nicknames_join():
    text = "Elizabeth Bennet sang. Lizzy laughed. Will Turner and William left."
    ids = cluster_names(text, [(0, 16), (23, 28), (38, 49), (54, 61)])
    assert ids[0] == ids[1] and ids[2] == ids[3] and ids[0] != ids[2]


@pytest.mark.parametrize(
    ("a", "b", "same"), [("idzuru", "izuru", True), ("sousuke", "sōsuke", True), ("kira", "mira", False)]
)
def test_characters_spelling_variants(a, b, same):
    assert spelling_variant(a, b) is same


def test_characters_parse_form_honorific_and_possessive():
    f = parse_form("Captain Ichimaru's")
    assert f.titles == ("captain",) and f.names == ("ichimaru",)
    assert parse_form("Gin-sama").honorific == "sama"


# --- pronouns, nominals ------------------------------------------------------------------


def test_characters_pronoun_gender_from_evidence():
    text = (
        "Tamsin Oakes climbed the hill. She was tired.\n\n"
        "Corwin followed. He carried the lantern.\n\n"
        '"Wait," Tamsin said. She sat down on a stone.'
    )
    story = fabula.analyze(text)
    assert _char_of(story, "Tamsin").pronouns == "she"
    assert _char_of(story, "Corwin").pronouns == "he"
    she = text.rindex("She sat")
    assert resolve_at(story, she) == _char_of(story, "Tamsin").id


def test_characters_nominal_joined_to_named_character():
    text = "Bastien Roy stood at the door. Mara looked at him. She trusted the tall man."
    story = fabula.analyze(text)
    man = next(m for m in story.layer("mentions") if story.span_text(m) == "the tall man")
    assert man.kind == "nominal" and man.character == _char_of(story, "Bastien Roy").id


def test_characters_resolve_at_outside_mentions_is_none():
    story = fabula.analyze("Ada walked home.")
    assert resolve_at(story, story.text.index("walked")) is None


def test_characters_empty_story_has_no_characters():
    story = fabula.analyze("The rain fell all night on the empty town.")
    assert story.characters == () and story.has("characters")


def test_characters_unnamed_speaker_becomes_a_character():
    text = (
        "The stranger stopped at the gate of the farm.\n\n"
        '"Is this the road to Harrowgate?" the stranger asked.\n\n'
        "Nell shook her head. The stranger sighed, and he turned back."
    )
    story = fabula.analyze(text)
    stranger = _char_of(story, "the stranger")
    assert stranger.pronouns == "he"
    he = text.index("he turned")
    assert resolve_at(story, he) == stranger.id
    assert resolve_at(story, text.index("her head")) == _char_of(story, "Nell").id
