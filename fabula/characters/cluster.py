"""Alias clustering: which proper-name mentions name the same character.

Each surface form is parsed into title words (``Mr``, ``Captain``), name words (in either
order: ``Ichimaru Gin`` and ``Gin Ichimaru`` are the same set) and an honorific suffix. Forms
with more name words are placed first, each joining a cluster whose name words contain all of
its own (a nickname such as ``Lizzy`` matches ``Elizabeth``; a spelling variant such as
``Izuru`` matches ``Idzuru``) and whose pronoun, when a title or given name shows it, agrees.
A titled surname that more than one cluster could take (``Mrs. Bennet`` beside ``Elizabeth
Bennet`` and ``Jane Bennet``) is a character of its own; a bare one goes to the candidate mentioned
most recently, a man before a woman (in English fiction a bare surname names a man: ``Weston``
beside Mr. and Mrs. Weston is Mr. Weston). A full name's first word that the census gives one
sex keeps a title of the other out (``Mr. Verloc`` is not ``Winnie Verloc``).

>>> text = "Ichimaru Gin smiled. Gin left. Mr. Weston and Mrs. Weston came; Weston bowed. Lizzy and Elizabeth Bennet."
>>> spans = [(0, 12), (21, 24), (31, 41), (46, 57), (64, 70), (78, 83), (88, 105)]
>>> cluster_names(text, spans)
['c0', 'c0', 'c1', 'c2', 'c1', 'c3', 'c3']
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from fabula.characters.tables import TABLES, english_words

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


#: Capitalised words that modify a name before it rather than being part of it.
MODIFIERS = frozenset({"old", "young", "little", "poor", "dear", "good", "big", "fat", "tall"})


def _modifies(low: str, nxt: str) -> bool:
    """Does the capitalised modifier ``low`` modify the word ``nxt`` after it? Before a title always
    (``Old Mr Pontifex``); before a name only when it is an endearment (``Little Amy``, ``Poor
    Tom``): ``Old Jolyon`` and ``Young Jolyon`` are father and son, ``Big Medicine`` a name."""
    return nxt.lower() in TABLES.titles or (nxt[:1].isupper() and low in _ENDEARMENTS)


_ENDEARMENTS = frozenset({"little", "poor", "dear", "good"})
#: Honorifics written as a word of their own after a name (``Missie Sahib``, ``Ali Effendi``):
#: shared by many people, so no name word to cluster on (``the Mem Sahib`` is not ``Missie Sahib``).
_SPACED_HONORIFICS = frozenset({"sahib", "sahiba", "begum", "effendi", "pasha", "bey", "agha"})


@lru_cache(maxsize=4096)
def parse_form(surface: str) -> NameForm:
    """Split a name into titles, name words and honorific.

    >>> parse_form("Captain Ichimaru's")
    NameForm(surface='Captain Ichimaru', titles=('captain',), names=('ichimaru',), honorific='')
    >>> parse_form("Kira-kun").names, parse_form("Kira-kun").honorific
    (('kira',), 'kun')
    >>> parse_form("Old Mr Pontifex").titles, parse_form("Old Mr Pontifex").names
    (('mr',), ('pontifex',))
    """
    s = surface.strip()
    if s.endswith(("'s", "’s")):
        s = s[:-2]
    elif s.endswith(("s'", "s’")):
        s = s[:-1]
    titles: list[str] = []
    names: list[str] = []
    hon = ""
    words = [w for w in _SPLIT.split(s) if w]
    for k, w in enumerate(words):
        if not w[0].isupper():
            continue  # lower-case modifiers: "old", "poor", "the"
        low = w.lower()
        if low in MODIFIERS and not names and not titles and k + 1 < len(words) and _modifies(low, words[k + 1]):
            continue  # "Old Mr Pontifex" is a Mr Pontifex, "Little Amy" an Amy
        if "-" in low:
            head, _, tail = low.rpartition("-")
            if tail in TABLES.honorifics and head:
                low, hon = head, tail
        elif low in _SPACED_HONORIFICS and names and not hon:
            hon = low  # "Missie Sahib", "Ali Effendi": the honorific is no name word
            continue
        if low in TABLES.titles and not names:
            titles.append(low)
        else:
            names.append(low)
    return NameForm(s, tuple(titles), tuple(names), hon)


def _heading_names(forms: list[NameForm]) -> list[NameForm]:
    """A heading in capitals (``MISTRESS MARY QUITE CONTRARY``) keeps only the words that name
    someone in the text's other forms (``Mary``): its other words name nobody."""
    used = {n for f in forms if not f.surface.isupper() for n in f.names}
    out = []
    for f in forms:
        if len(f.names) >= 2 and f.surface.isupper():
            kept = tuple(n for n in f.names if n in used or len(n) == 1)  # initials stay
            if kept and len(kept) < len(f.names):
                f = NameForm(f.surface, f.titles, kept, f.honorific)
        out.append(f)
    return out


@lru_cache(maxsize=8192)
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
    count: int = 0
    census: str = ""  # the pronoun the first of a full name's given names usually takes (census)

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
            self.display = (
                " ".join(
                    w for w in form.surface.split() if w[:1].isupper() and w.rstrip(".").lower() not in form.titles
                )
                or form.surface
            )
        if not self.gender:
            self.gender = form.gender or _given_gender(names)
        if not self.census and len(names) >= 2:
            self.census = _census_gender(names[0])


def _given_gender(names: tuple[str, ...]) -> str:
    for n in names:
        g = TABLES.given_gender.get(n, "")
        if g:
            return g
    return ""


def _census_gender(name: str) -> str:
    """``he`` / ``she`` for a given name the census gives one (``winnie``), else ``""``."""
    g = TABLES.gazetteer.get(name, "")
    return g if g in ("he", "she") else ""


def _compatible(c: Cluster, gender: str) -> bool:
    """May a form of pronoun ``gender`` join ``c``? A full name's given name counts too: ``Mr.
    Verloc`` is not ``Winnie Verloc``. (The census is a hint for clustering only, never the
    character's pronoun: ``Kira`` is a woman's name in the census and a man in fan fiction.)"""
    if not gender:
        return True
    if c.gender:
        return c.gender == gender
    return not c.census or c.census == gender


_UNMARRIED = frozenset({"miss", "mlle", "mademoiselle"})
_MARRIED = frozenset({"mrs", "madame", "mme", "lady"})


def marital(titles: tuple[str, ...] | set[str]) -> str:
    """``u`` for a Miss, ``m`` for a Mrs. or Lady, else ``""``: the two never name one woman.

    >>> marital(("miss",)), marital(("mrs",)), marital(("captain",))
    ('u', 'm', '')
    """
    if not _UNMARRIED.isdisjoint(titles):
        return "u"
    if not _MARRIED.isdisjoint(titles):
        return "m"
    return ""


def _title_clash(c: Cluster, form: NameForm) -> bool:
    """Does ``form``'s title say Miss where the cluster's says Mrs. (or the reverse)?"""
    mine = marital(form.titles)
    theirs = marital(c.titles)
    return bool(mine and theirs and mine != theirs)


_SOCIAL = frozenset({"miss", "mrs", "ms", "mr", "mister", "mlle", "mme", "madame", "mademoiselle"})


def _rank_clash(c: Cluster, form: NameForm) -> bool:
    """``Captain Eldridge`` beside ``Miss Eldridge``: a surname under a rank and under a social
    title is two people, unless a full name in the cluster ties them."""
    if len(c.longest) >= 2 or not form.titles or not c.titles:
        return False
    mine, theirs = set(form.titles), c.titles
    ranked = not mine <= _SOCIAL and not any(TABLES.titles.get(t) for t in mine)
    social = mine <= _SOCIAL
    if ranked:
        return theirs <= _SOCIAL
    return social and not (theirs & _SOCIAL) and not any(TABLES.titles.get(t) for t in theirs)


class NameClusters:
    """Cluster the proper-name mentions of one text.

    ``assignment[i]`` is the index in ``clusters`` of mention ``i``; ``forms[i]`` its parse.
    """

    def __init__(self, surfaces: list[str], starts: list[int]) -> None:
        self.forms = _heading_names([parse_form(s) for s in surfaces])
        self.starts = starts
        self.clusters: list[Cluster] = []
        self.assignment: list[int] = [-1] * len(surfaces)
        self._by_token: dict[str, set[int]] = defaultdict(set)
        self._by_initial: dict[str, set[str]] = defaultdict(set)
        self._starts_of: dict[int, list[int]] = defaultdict(list)
        self._bare: Counter[str] = Counter()
        self._run()

    def _new(self) -> Cluster:
        c = Cluster(len(self.clusters))
        self.clusters.append(c)
        return c

    def _assign(self, c: Cluster, i: int, names: tuple[str, ...]) -> None:
        c.add(self.forms[i], names)
        self.assignment[i] = c.index
        for t in names:
            self._by_token[t].add(c.index)
            r = romanised(t)
            if r:
                self._by_initial[r[0]].add(t)
        insort(self._starts_of[c.index], self.starts[i])

    def _with_token(self, token: str) -> set[int]:
        out: set[int] = set()
        for v in TABLES.variants(token):
            out |= self._by_token.get(v, set())
        return out

    def _spelled_like(self, token: str) -> set[int]:
        r = romanised(token)
        out: set[int] = set()
        for t in self._by_initial.get(r[:1], ()):
            if spelling_variant(token, t):
                out |= self._by_token[t]
        return out

    def _run(self) -> None:
        forms = self.forms
        keys = [f.names or f.titles for f in forms]
        count = Counter(keys)
        self._bare = Counter(f.names[0] for f in forms if len(f.names) == 1 and not f.titles)
        # multi-word names first, longest first, most frequent first
        order = sorted(range(len(forms)), key=lambda i: (-len(keys[i]), -count[keys[i]], self.starts[i]))
        pending_single: list[int] = []
        for i in order:
            names = keys[i]
            if len(names) < 2:
                pending_single.append(i)
                continue
            gender = forms[i].gender or _given_gender(names)
            common = self._with_token(names[0])
            for t in names[1:]:
                common &= self._with_token(t)
            cands = [
                self.clusters[k]
                for k in common
                if _compatible(self.clusters[k], gender) and not _title_clash(self.clusters[k], forms[i])
            ]
            c = max(cands, key=lambda c: (c.count, -c.index)) if cands else self._new()
            self._assign(c, i, names)
        # single words: titled ones first, then bare ones, each in text order
        pending_single.sort(key=lambda i: (not forms[i].titles, self.starts[i]))
        key_cluster: dict[tuple[tuple[str, ...], str, str], int] = {}
        for i in pending_single:
            self._place_single(i, keys[i], key_cluster)

    def _place_single(
        self, i: int, names: tuple[str, ...], key_cluster: dict[tuple[tuple[str, ...], str, str], int]
    ) -> None:
        form = self.forms[i]
        gender = form.gender or _given_gender(names)
        key = (names, gender, marital(form.titles))
        if key in key_cluster:
            self._assign(self.clusters[key_cluster[key]], i, names)
            return
        tok = names[0] if names else ""
        found = self._with_token(tok)
        if not found and len(tok) >= 4:
            found = self._spelled_like(tok)
        if not found and len(tok) >= 3:
            found = self._short_form_of(tok)
        cands = sorted(
            (
                self.clusters[k]
                for k in found
                if _compatible(self.clusters[k], gender)
                and not _title_clash(self.clusters[k], form)
                and not self._girl_not_mrs(self.clusters[k], form)
                and not _rank_clash(self.clusters[k], form)
            ),
            key=lambda c: c.index,
        )
        if len(cands) == 1:
            c = cands[0]
        elif not cands or form.titles:
            c = self._new()
        else:
            # an ambiguous bare name: decided per mention, not per form; a bare surname names a
            # man rather than his wife or daughter ("Pontifex" beside Mr and Mrs Pontifex)
            men = [c for c in cands if c.gender != "she"]
            self._assign(self._recent(men or cands, self.starts[i]), i, names)
            return
        self._assign(c, i, names)
        key_cluster[key] = c.index

    def _short_form_of(self, token: str) -> set[int]:
        """``Theo`` for ``Theodore``, ``Haru`` for ``Haruto``: a bare word that begins exactly one
        cluster's given name (two or more letters shorter; a full name's first word, or a one-word
        name that is no surname: ``John`` is not ``Johnson``) and is neither a dictionary word nor
        a name of its own in the nickname table."""
        if token in TABLES.titles or token in TABLES.nick_groups or token in english_words():
            return set()
        owners: set[int] = set()
        for k, c in enumerate(self.clusters):
            given = c.longest[0] if c.longest else ""
            if len(c.longest) == 1 and TABLES.gazetteer.get(given) == "sur":
                continue
            if len(given) >= len(token) + 2 and given.startswith(token):
                owners.add(k)
                if len(owners) > 1:
                    return set()
        return owners

    def _girl_not_mrs(self, c: Cluster, form: NameForm) -> bool:
        """``Mrs. Lennox`` is not the untitled ``Mary Lennox`` whom the text calls plain ``Mary``:
        a woman the narration calls by her bare given name is, in fiction, rarely the Mrs."""
        return (
            marital(form.titles) == "m"
            and len(form.names) == 1
            and not c.titles
            and len(c.longest) >= 2
            and self._bare[c.longest[0]] >= 2
        )

    def _recent(self, cands: list[Cluster], pos: int) -> Cluster:
        """The candidate with a mention closest before ``pos`` (else the most frequent)."""
        best: Cluster | None = None
        best_pos = -1
        for c in cands:
            starts = self._starts_of[c.index]
            k = bisect_left(starts, pos)
            p = starts[k - 1] if k else -1
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
