"""The canon stage: Characters tags name clusters; Relationships tags checked against the talk."""

from __future__ import annotations

import json

import pytest

from fabula.model import Alias, Character, Mention, Metadata, Quote, Story
from fabula.stages.canon import canon, match_tag, words_match


def _story() -> Story:
    text = '"Idzuru, come here," said Gin. "Yes, Captain," Kira said. "Gin is late," Kira told Aizen.'
    s = Story(
        text=text,
        metadata=Metadata(
            characters=("Kira Izuru (Bleach)", "Ichimaru Gin", "Hinamori Momo"),
            relationships=("Ichimaru Gin/Kira Izuru", "Hinamori Momo & Kira Izuru"),
        ),
    )
    s = s.with_characters(
        [
            Character("kira", "Kira", (Alias("Kira", 2), Alias("Idzuru", 1)), mentions=3),
            Character("gin", "Gin", (Alias("Gin", 2), Alias("Ichimaru", 1)), mentions=3),
            Character("aizen", "Aizen", (Alias("Aizen", 1),), mentions=1),
        ],
        stage="test",
    )
    s = s.with_layer(
        "quotes",
        [
            Quote(0, 20, speaker="gin", addressees=("kira",)),
            Quote(31, 46, speaker="kira", addressees=("gin",)),
            Quote(58, 72, speaker="kira", addressees=("aizen",)),
        ],
        stage="test",
    )
    return s.with_layer("mentions", [Mention(1, 7, character="kira"), Mention(59, 62, character="gin")], stage="test")


@pytest.mark.issue(5)
def test_canon_characters_tags_name_the_clusters() -> None:
    out = canon(_story())
    names = {c.id: c.name for c in out.characters}
    assert names == {"kira": "Kira Izuru", "gin": "Ichimaru Gin", "aizen": "Aizen"}
    named = json.loads(dict(out.metadata.extra)["canon:characters"])
    assert named == {"Kira Izuru (Bleach)": "kira", "Ichimaru Gin": "gin"}


@pytest.mark.issue(5)
def test_canon_relationships_counted_and_unseen_pairing_warned() -> None:
    out = canon(_story())
    rels = json.loads(dict(out.metadata.extra)["canon:relationships"])
    assert rels[0] == {
        "tag": "Ichimaru Gin/Kira Izuru",
        "kind": "romantic",
        "characters": ["gin", "kira"],
        "a_to_b": 1,
        "b_to_a": 1,
        "a_about_b": 1,
        "b_about_a": 1,
    }
    assert rels[1]["characters"] == [None, "kira"]
    assert not any("Ichimaru" in w for w in out.warnings)


def test_canon_spelling_variants_match_but_short_names_do_not() -> None:
    assert words_match("izuru", "idzuru") and not words_match("gin", "gil")
    assert match_tag("Nobody Here", _story().characters) is None


def test_canon_without_tags_changes_nothing() -> None:
    s = _story().replace(metadata=Metadata())
    assert canon(s) is s


def test_canon_shared_surname_does_not_steal_a_cluster() -> None:
    md = Metadata(characters=("Maren Holt", "Ada Holt"), relationships=("Maren Holt & Ada Holt",))
    s = Story(text="x", metadata=md)
    s = s.with_characters([Character("maren", "Maren", (Alias("Maren", 3),), mentions=3)], stage="test")
    out = canon(s)
    assert [c.name for c in out.characters] == ["Maren Holt"]
    assert json.loads(dict(out.metadata.extra)["canon:relationships"])[0]["characters"] == ["maren", None]


@pytest.mark.issue(5)
def test_canon_in_the_default_pipeline_names_ao3_characters() -> None:
    import fabula
    from fabula.pipeline import DEFAULT_STAGES
    from tests.readers.helpers import fixture

    assert DEFAULT_STAGES.index("canon") > DEFAULT_STAGES.index("characters")
    s = fabula.read(fixture("ao3-new.html"))
    names = {c.name for c in s.characters}
    assert {"Maren Holt", "Tobiah Vance"} <= names
    rel = json.loads(dict(s.metadata.extra)["canon:relationships"])[0]
    assert rel["tag"] == "Maren Holt/Tobiah Vance" and rel["a_to_b"] + rel["b_to_a"] > 0
