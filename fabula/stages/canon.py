"""Canon hints: AO3's Characters and Relationships tags, matched against fabula's characters.

A Characters tag names the character cluster it matches ("Kira Izuru" names the cluster
holding "Kira" and "Idzuru": a tag word matches a name word exactly or, for words of five
letters or more, within one edit). A tag's fandom qualifier ("Kira Izuru (Bleach)") is
ignored. Each Relationships tag ("A/B" romantic, "A & B" platonic) is then checked against
the text: how often each of the two speaks *to* the other (quotes whose speaker is one and
addressees include the other) and *about* the other (mentions of one inside the other's
quotes). The findings go into ``metadata.extra`` as JSON under ``canon:characters`` and
``canon:relationships``, and a warning is recorded for a tagged pairing the text never
brings together.

>>> tag_words("Kira Izuru (Bleach)")
['kira', 'izuru']
>>> words_match("izuru", "idzuru"), words_match("gin", "gil")
(True, False)
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence

from fabula.model import Character, Mention, Quote, Story
from fabula.pipeline import stage

_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")


def tag_words(tag: str) -> list[str]:
    """The lower-cased name words of a tag, without its fandom qualifier."""
    return [w for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", _QUALIFIER.sub("", tag).lower()) if len(w) > 1]


def _edit1(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = diff = 0
    while i < len(a) and j < len(b):
        if a[i] != b[j]:
            diff += 1
            if diff > 1:
                return False
            if len(a) == len(b):
                i += 1
            j += 1
            continue
        i += 1
        j += 1
    return diff + (len(b) - j) + (len(a) - i) <= 1


def words_match(a: str, b: str) -> bool:
    """True when two name words are the same, or one edit apart when both are 5+ letters long."""
    return a == b or (min(len(a), len(b)) >= 5 and _edit1(a, b))


def _names(c: Character) -> set[str]:
    words = set(tag_words(c.name))
    for a in c.aliases:
        words.update(tag_words(a.name))
    return words


def match_tag(tag: str, characters: Sequence[Character]) -> Character | None:
    """The character a Characters tag names: most tag words matched, then most mentions."""
    words = tag_words(tag)
    best: tuple[int, int] = (0, 0)
    found: Character | None = None
    for c in characters:
        names = _names(c)
        score = sum(1 for w in words if any(words_match(w, n) for n in names))
        key = (score, c.mentions)
        if score and key > best:
            best, found = key, c
    return found


def split_relationship(tag: str) -> tuple[str, list[str]]:
    """``("romantic", names)`` for ``A/B``, ``("platonic", names)`` for ``A & B``.

    >>> split_relationship("Ichimaru Gin/Kira Izuru")
    ('romantic', ['Ichimaru Gin', 'Kira Izuru'])
    """
    tag = _QUALIFIER.sub("", tag)
    if "/" in tag:
        return "romantic", [p.strip() for p in tag.split("/") if p.strip()]
    return "platonic", [p.strip() for p in re.split(r"\s+&\s+", tag) if p.strip()]


@stage("canon", requires=("characters",), assigns=("characters",))
def canon(story: Story) -> Story:
    """Name character clusters after the Characters tags and check the Relationships tags."""
    md = story.metadata
    if not md.characters and not md.relationships:
        return story
    original = list(story.characters)
    chars = list(original)
    named: dict[str, str] = {}
    for tag in md.characters:
        c = match_tag(tag, [x for x in original if x.id not in named.values()])
        if c is None:
            continue
        named[tag] = c.id
        chars = [dataclasses.replace(x, name=_QUALIFIER.sub("", tag)) if x.id == c.id else x for x in chars]
    by_name = {_QUALIFIER.sub("", t): i for t, i in named.items()}
    tagged = {_QUALIFIER.sub("", t) for t in md.characters}
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    mentions = [m for m in story.layer("mentions") if isinstance(m, Mention)]
    rels = []
    warnings = []
    for tag in md.relationships:
        kind, names = split_relationship(tag)
        ids: list[str | None] = []
        for n in names:
            # a name that is a Characters tag is what that tag matched (or nothing); others are matched
            cid = by_name.get(n) if n in tagged else getattr(match_tag(n, original), "id", None)
            ids.append(cid if cid not in ids else None)
        entry: dict[str, object] = {"tag": tag, "kind": kind, "characters": ids}
        a, b = [*ids, None, None][:2]
        if len(ids) == 2 and a is not None and b is not None:
            entry["a_to_b"] = sum(1 for q in quotes if q.speaker == a and b in q.addressees)
            entry["b_to_a"] = sum(1 for q in quotes if q.speaker == b and a in q.addressees)
            entry["a_about_b"] = _about(quotes, mentions, a, b)
            entry["b_about_a"] = _about(quotes, mentions, b, a)
            if not any(entry[k] for k in ("a_to_b", "b_to_a", "a_about_b", "b_about_a")):
                warnings.append(f"canon: the tagged relationship {tag!r} never shows in who talks to or about whom")
        rels.append(entry)
    extra = dict(md.extra)
    extra["canon:characters"] = json.dumps(named, ensure_ascii=False)
    extra["canon:relationships"] = json.dumps(rels, ensure_ascii=False)
    story = story.replace(metadata=dataclasses.replace(md, extra=tuple(extra.items())))
    story = story.with_characters(chars, stage="canon")
    return story.with_warnings(*warnings)


def _about(quotes: Sequence[Quote], mentions: Sequence[Mention], speaker: str, other: str) -> int:
    spans = [(q.start_char, q.end_char) for q in quotes if q.speaker == speaker]
    return sum(1 for m in mentions if m.character == other and any(s <= m.start_char < e for s, e in spans))
