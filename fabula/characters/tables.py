"""The name tables shipped in ``fabula/data/names.json``, loaded once.

Titles (with the pronoun they imply), abbreviations written with a full stop, honorific
suffixes (``-san``, ``-kun`` ...), a nickname / hypocorism table, given names with the
pronoun their bearers usually take, person nouns for nominals, capitalised words that
are never names, and a census gazetteer of given names and surnames (``person_names.tsv``).

>>> TABLES.titles["mrs"], "kun" in TABLES.honorifics
('she', True)
>>> sorted(TABLES.variants("lizzy") & {"elizabeth", "beth"})
['beth', 'elizabeth']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Tables:
    """Lookup tables for names; every key is lower case."""

    titles: dict[str, str]
    abbreviations: frozenset[str]
    honorifics: frozenset[str]
    nick_groups: dict[str, frozenset[str]]
    given_gender: dict[str, str]
    person_nouns: dict[str, str]
    not_names: frozenset[str]
    place_words: frozenset[str]
    gazetteer: dict[str, str]

    def variants(self, name: str) -> frozenset[str]:
        """Every form that may name the same person as ``name`` (itself included)."""
        return self.nick_groups.get(name, frozenset((name,)))


@cache
def _load() -> Tables:
    raw = json.loads(resources.files("fabula").joinpath("data/names.json").read_text(encoding="utf-8"))
    groups: dict[str, set[str]] = {}
    for formal, nicks in raw["nicknames"].items():
        if " " in formal:
            continue
        group = {formal, *nicks}
        for n in group:
            groups.setdefault(n, set()).update(group)
    given = {n: g for g, names in raw["given_names"].items() for n in names}
    return Tables(
        titles=dict(raw["titles"]),
        abbreviations=frozenset(raw["abbreviations"]),
        honorifics=frozenset(raw["honorifics"]),
        nick_groups={k: frozenset(v) for k, v in groups.items()},
        given_gender=given,
        person_nouns=dict(raw["person_nouns"]),
        not_names=frozenset(raw["not_names"]),
        place_words=frozenset(raw["place_words"]),
        gazetteer=_gazetteer(),
    )


def _gazetteer() -> dict[str, str]:
    """Census given names (``he`` / ``she``) and frequent surnames (``sur``): see train/gazetteer.py."""
    text = resources.files("fabula").joinpath("data/person_names.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, kind = line.partition("\t")
            out[name] = kind
    return out


TABLES: Tables = _load()


@cache
def english_words() -> frozenset[str]:
    """Lower-case dictionary words (Webster's 1934, public domain; see train/gazetteer.py), loaded once."""
    import gzip

    raw = resources.files("fabula").joinpath("data/english_lower.txt.gz").read_bytes()
    return frozenset(gzip.decompress(raw).decode("ascii").split())
