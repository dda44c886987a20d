"""Alias clustering: which proper-name mentions name the same character.

Each surface form is parsed into title words (``Mr``, ``Captain``), name words (in either
order: ``Ichimaru Gin`` and ``Gin Ichimaru`` are the same set) and an honorific suffix. Forms
with more name words are placed first, each joining a cluster whose name words contain all of
its own (a nickname such as ``Lizzy`` matches ``Elizabeth``; a spelling variant such as
``Izuru`` matches ``Idzuru``) and whose pronoun, when a title or given name shows it, agrees.
A titled surname that more than one cluster could take (``Mrs. Bennet`` beside ``Elizabeth
Bennet`` and ``Jane Bennet``) is a character of its own; a bare one goes to the candidate
mentioned most recently.

>>> text = "Ichimaru Gin smiled. Gin left. Mr. Weston and Mrs. Weston came; Weston bowed. Lizzy and Elizabeth Bennet."
>>> spans = [(0, 12), (21, 24), (31, 41), (46, 57), (64, 70), (78, 83), (88, 105)]
>>> cluster_names(text, spans)
['c0', 'c0', 'c1', 'c2', 'c2', 'c3', 'c3']
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from fabula.characters.tables import TABLES

_SPLIT = re.compile(r"[\s.]+")


@dataclass(frozen=True, slots=True)
class NameForm:
    """A parsed surface form of a name."""

    surface: str
    titles: tuple[str, ...]
    names: tuple[str, ...]
    honorific: str = ""

    @property
    def gender(self) -> str:
        """The pronoun the title implies (``he``, ``she``) or ``""``."""
        for t in self.titles:
            g = TABLES.titles.get(t, "")
            if g:
                return g
        return ""


def parse_form(surface: str) -> NameForm:
    """Split a name into titles, name words and honorific.

    >>> parse_form("Captain Ichimaru's")
    NameForm(surface='Captain Ichimaru', titles=('captain',), names=('ichimaru',), honorific='')
    >>> parse_form("Kira-kun").names, parse_form("Kira-kun").honorific
    (('kira',), 'kun')
    """
    s = surface.strip()
    if s.endswith(("'s", "’s")):
        s = s[:-2]
    elif s.endswith(("s'", "s’")):
        s = s[:-1]
    titles: list[str] = []
    names: list[str] = []
    hon = ""
    for w in _SPLIT.split(s):
        if not w or not w[0].isupper():
            continue  # lower-case modifiers: "old", "poor", "the"
        low = w.lower()
        if "-" in low:
            head, _, tail = low.rpartition("-")
            if tail in TABLES.honorifics and head:
                low, hon = head, tail
        if low in TABLES.titles and not names:
            titles.append(low)
        else:
            names.append(low)
    return NameForm(s, tuple(titles), tuple(names), hon)


def romanised(name: str) -> str:
    """A loose romanisation key: ``Idzuru`` and ``Izuru``, ``Sōsuke`` and ``Sousuke`` agree.

    >>> romanised("Idzuru") == romanised("Izuru"), romanised("Sōsuke") == romanised("Sousuke")
    (True, True)
    """
    s = unicodedata.normalize("NFKD", name.lower())
    s = "".join(c for c in s if c.isalpha())
    for a, b in (("dz", "z"), ("ou", "o"), ("oh", "o"), ("oo", "o"), ("uu", "u"), ("ii", "i"), ("aa", "a")):
        s = s.replace(a, b)
    return s


def _edit1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i + 1 :] == b[i:] if la > lb else a[i:] == b[i + 1 :]


def spelling_variant(a: str, b: str) -> bool:
    """Two spellings of one name (romanisation variants, or one edit apart in a long name).

    >>> spelling_variant("idzuru", "izuru"), spelling_variant("kira", "mira")
    (True, False)
    """
    if a == b:
        return True
    ra, rb = romanised(a), romanised(b)
    if ra == rb:
        return True
    return min(len(ra), len(rb)) >= 6 and ra[0] == rb[0] and _edit1(ra, rb)


@dataclass
class Cluster:
    """A group of name forms taken to name one character."""

    index: int
    tokens: set[str] = field(default_factory=set)
    forms: Counter[str] = field(default_factory=Counter)
    longest: tuple[str, ...] = ()
    display: str = ""
    gender: str = ""
    titles: set[str] = field(default_factory=set)
    last_seen: int = -1
    count: int = 0

    def matches(self, token: str) -> bool:
        """Does the name word ``token`` (or a nickname of it) belong to this cluster?"""
        if token in self.tokens:
            return True
        variants = TABLES.variants(token)
        return len(variants) > 1 and not variants.isdisjoint(self.tokens)

    def add(self, form: NameForm, names: tuple[str, ...]) -> None:
        """Record a form of this cluster."""
        self.tokens.update(names)
        self.forms[form.surface] += 1
        self.titles.update(form.titles)
        self.count += 1
        if len(names) > len(self.longest):
            self.longest = names
            self.display = " ".join(w for w in form.surface.split() if w[:1].isupper() and w.rstrip(".").lower() not in form.titles) or form.surface
        if not self.gender:
            self.gender = form.gender or _given_gender(names)


def _given_gender(names: tuple[str, ...]) -> str:
    for n in names:
        g = TABLES.given_gender.get(n, "")
        if g:
            return g
    return ""


def _compatible(c: Cluster, gender: str) -> bool:
    return not gender or not c.gender or c.gender == gender


class NameClusters:
    """Cluster the proper-name mentions of one text.

    ``assignment[i]`` is the index in ``clusters`` of mention ``i``; ``forms[i]`` its parse.
    """

    def __init__(self, surfaces: list[str], starts: list[int]) -> None:
        self.forms = [parse_form(s) for s in surfaces]
        self.starts = starts
        self.clusters: list[Cluster] = []
        self.assignment: list[int] = [-1] * len(surfaces)
        self._run()

    def _new(self) -> Cluster:
        c = Cluster(len(self.clusters))
        self.clusters.append(c)
        return c

    def _run(self) -> None:
        forms = self.forms
        keys = [f.names or f.titles for f in forms]
        count = Counter(keys)
        # multi-word names first, longest first, most frequent first
        order = sorted(range(len(forms)), key=lambda i: (-len(keys[i]), -count[keys[i]], self.starts[i]))
        pending_single: list[int] = []
        for i in order:
            names = keys[i]
            if len(names) < 2:
                pending_single.append(i)
                continue
            gender = forms[i].gender or _given_gender(names)
            cands = [c for c in self.clusters if all(c.matches(t) for t in names) and _compatible(c, gender)]
            c = max(cands, key=lambda c: c.count) if cands else self._new()
            c.add(forms[i], names)
            self.assignment[i] = c.index
        # single words: titled ones first, then bare ones, each in text order
        pending_single.sort(key=lambda i: (not forms[i].titles, self.starts[i]))
        key_cluster: dict[tuple[tuple[str, ...], str], int] = {}
        for i in pending_single:
            self._place_single(i, keys[i], key_cluster)
        # most recent candidate for ambiguous bare names needs text order: a second pass in order
        for i in sorted(range(len(forms)), key=lambda i: self.starts[i]):
            self.clusters[self.assignment[i]].last_seen = self.starts[i]

    def _place_single(
        self, i: int, names: tuple[str, ...], key_cluster: dict[tuple[tuple[str, ...], str], int]
    ) -> None:
        form = self.forms[i]
        gender = form.gender or _given_gender(names)
        key = (names, gender)
        if key in key_cluster:
            c = self.clusters[key_cluster[key]]
            c.add(form, names)
            self.assignment[i] = c.index
            return
        tok = names[0] if names else ""
        cands = [c for c in self.clusters if c.matches(tok) and _compatible(c, gender)]
        if not cands and len(tok) >= 4:
            cands = [c for c in self.clusters if _compatible(c, gender) and any(spelling_variant(tok, t) for t in c.tokens)]
        if len(cands) == 1:
            c = cands[0]
        elif not cands or form.titles:
            c = self._new()
        else:
            c = self._recent(cands, self.starts[i])
            c.add(form, names)
            self.assignment[i] = c.index
            return  # an ambiguous bare name: decided per mention, not per form
        c.add(form, names)
        self.assignment[i] = c.index
        key_cluster[key] = c.index

    def _recent(self, cands: list[Cluster], pos: int) -> Cluster:
        """The candidate with a mention closest before ``pos`` (else the most frequent)."""
        best: Cluster | None = None
        best_pos = -1
        for c in cands:
            prior = [self.starts[j] for j, a in enumerate(self.assignment) if a == c.index and self.starts[j] < pos]
            p = max(prior, default=-1)
            if p > best_pos:
                best, best_pos = c, p
        return best if best is not None else max(cands, key=lambda c: c.count)


def cluster_names(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """Cluster ids (``c0``, ``c1`` ... in order of first appearance) for name mentions at ``spans``."""
    spans = list(spans)
    nc = NameClusters([text[s:e] for s, e in spans], [s for s, _ in spans])
    first: dict[int, str] = {}
    for i in sorted(range(len(spans)), key=lambda i: spans[i][0]):
        a = nc.assignment[i]
        if a not in first:
            first[a] = f"c{len(first)}"
    return [first[a] for a in nc.assignment]
