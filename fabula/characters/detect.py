"""Proper-name person mentions: capitalised tokens scored by a small trained model.

Every capitalised word is a candidate; consecutive candidates joined by spaces (or by
``". "`` after an abbreviated title such as ``Mr.`` or an initial) form a *run*. A linear model
(an averaged perceptron trained on LitBank by ``python -m train.mentions``, shipped as
``fabula/data/mentions.json``) scores each candidate from its shape, the words around it, its
place in the sentence, how the same word is used elsewhere in the text (a word seen mostly in
lower case, like ``hope``, is rarely a name there; one seen after ``in`` / ``from`` names a
place, one before ``said`` a person), shipped tables (given names, well-known places and
famous people, distributional word classes learnt from novels); a second model rescores it
with how the first scored the word's other uses and its neighbours in the run. Positive
candidates next to each other make one mention; rules then add unseen names (and words
addressed in speech), remove what LitBank counts as nominals (``a Mrs. Weston``, ``your
Ladyship``, ``Papa``) and places (``Lake George``, ``Lynde's Hollow``), and draw the span's
edges as LitBank does (``the talented Miss Cowley``, ``Charles II``). Words ending in an
honorific suffix (``Gin-san``) are names whatever the score.

The same code extracts features at training time, on LitBank's tokenised text, and at run
time, on the story's text.

>>> spans = find_names('"Aw, Kira-kun," said Ichimaru Gin, and walked into Hell with Mr. Weston.')
>>> [t for t, _, _ in spans]
['Kira-kun', 'Ichimaru Gin', 'Mr. Weston']
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from fabula.characters.tables import TABLES, english_words

_UPPER = "".join(c for c in map(chr, range(0x2000)) if c.isupper())
# not inside a word ("O'Hara", "Seo-Yeon" start at their first letter), but after a dash
# ("Kensington--Emma") or an opening quote ("'Joseph!'")
_CAP = re.compile(rf"(?<!\w)(?<!\w[-'’])[{_UPPER}]\w*(?:[-'’]\w+)*")
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z]+(?![\w])")
_PREV_WORD = re.compile(r"([\w'’]+)[^\w]*$")
_NEXT_WORD = re.compile(r"[^\w]*([\w'’]+)")
_SPACES = re.compile(r" {1,3}")
_DOT_SPACES = re.compile(r"\. {1,3}")
_SKIP_BACK = set(" \t\"“‘'([*_~")
_POSSESSIVE = ("'s", "’s")
# Words LitBank (and a reader) counts as part of a name: "old Cotter", "the late John Astor",
# "the talented Miss Cowley" (an adjective after "the", but not a time: "the morning Dorothea").
_ADJECTIVE = (
    r"(?!(?:morn|even|k|th|build|r|wedd|meet|begin|ceil)ing )"
    r"[a-z]+(?:-[a-z]+)?(?:ed|ing|ous|ive|ful|ant|ent|ate|ly|able|ible)"
)
_MODIFIER = re.compile(
    rf"(?<![\w'’])(?:[Tt]he (?:late |second |same |elder |younger |{_ADJECTIVE} )?|[Oo]ld |[Yy]oung |[Ll]ittle "
    # "uncle Charles" in lower case is part of the name, unless owned ("her uncle Tom" is a nominal's)
    r"|(?<![Hh]is )(?<![Hh]er )(?<![Mm]y )(?<![Yy]our )(?<![Oo]ur )(?<![Tt]heir )(?:uncle|aunt|cousin) )$"
)
# a name "of" a place is one mention: "Perrotin of Nice", "Sir Luke Tallant of the Colonial Office"
_OF_PLACE = re.compile(r" of (?:the )?[A-Z]\w*(?:[-'’]\w+)*(?: [A-Z]\w*(?:[-'’]\w+)*)*")
# a regnal number after a name: "Charles II", "Rudolf the Fifth"
_ORDINALS = "First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|Great"
_REGNAL = re.compile(rf" (?:I[IVX]|III|VI{{1,3}}|XI{{1,3}}|the (?:{_ORDINALS}))\b(?!-)")


@dataclass(slots=True)
class Candidate:
    """A capitalised word: where it is, its base form and its place in a run of capitalised words."""

    start: int
    end: int
    low: str
    honorific: str
    initial: bool
    possessive: bool
    run: int = 0
    pos: int = 0
    run_len: int = 1


def _base(word: str) -> tuple[str, str, bool]:
    """Lower-cased base form of a capitalised word, its honorific suffix and whether it was possessive.

    >>> _base("Gin-san's")
    ('gin', 'san', True)
    """
    low = word.lower()
    poss = low.endswith(_POSSESSIVE)
    if poss:
        low = low[:-2]
    hon = ""
    if "-" in low:
        head, _, tail = low.rpartition("-")
        if tail in TABLES.honorifics and head:
            low, hon = head, tail
    return low, hon, poss


def _sentence_initial(text: str, i: int, lo: int) -> bool:
    j = i - 1
    while j >= lo and text[j] in _SKIP_BACK:
        j -= 1
    if j < lo or text[j] == "\n":
        return True
    c = text[j]
    if c in "!?…":
        return True
    if c == ".":
        m = _PREV_WORD.search(text, max(lo, j - 12), j)
        return not (m and m.group(1).lower() in TABLES.abbreviations)
    return False


def candidates(text: str, lo: int = 0, hi: int | None = None) -> list[Candidate]:
    """The capitalised words of ``text[lo:hi]`` that could be names, grouped into runs."""
    hi = len(text) if hi is None else hi
    out: list[Candidate] = []
    not_names = TABLES.not_names
    abbrev = TABLES.abbreviations
    prev: Candidate | None = None
    prev_low = ""
    run = 0
    for m in _CAP.finditer(text, lo, hi):
        word = m.group()
        low, hon, poss = _base(word)
        initial = len(word) == 1 and _DOT_SPACES.match(text, m.end()) is not None  # "Terry O. Nicholson"
        if (low in not_names and not hon and not initial) or low[:2] in ("i'", "i’"):
            prev = None
            continue
        s = m.start()
        end = m.end() - 2 if poss else m.end()
        c = Candidate(s, end, low, hon, _sentence_initial(text, s, lo), poss)
        if prev is not None and not prev.possessive:
            gap = text[prev.end : s]
            if _SPACES.fullmatch(gap) or (_DOT_SPACES.fullmatch(gap) and (prev_low in abbrev or len(prev_low) == 1)):
                c.run, c.pos = prev.run, prev.pos + 1
                c.initial = False
            else:
                run += 1
                c.run = run
        else:
            run += 1
            c.run = run
        out.append(c)
        prev, prev_low = c, low
    # run lengths
    i = 0
    n = len(out)
    while i < n:
        j = i
        while j + 1 < n and out[j + 1].run == out[i].run:
            j += 1
        for k in range(i, j + 1):
            out[k].run_len = j - i + 1
        i = j + 1
    return out


@dataclass(frozen=True, slots=True)
class DocStats:
    """How each word is used across the text: lower-case count, mid-sentence capitalised count,
    and how many of its capitalised uses stand in a place context (``in Kent``), a person
    context (``said Jo``, ``Jo laughed``), after a title, or after ``the``."""

    lower: Counter[str]
    cap_mid: Counter[str]
    cap: Counter[str]
    place: Counter[str]
    person: Counter[str]
    titled: Counter[str]
    the: Counter[str]
    words: dict[tuple[str, str], tuple[tuple[str, ...], ...]] = field(default_factory=dict, compare=False, repr=False)
    """:func:`features`' per-word pieces, filled as it meets each word."""


_PLACE_PREP = frozenset("in at to from into near towards toward through across via round".split())
_SPEECH = frozenset(
    "said says asked replied cried answered exclaimed whispered shouted muttered murmured called "
    "added continued began returned observed remarked rejoined inquired demanded hinted".split()
)


def doc_stats(text: str, cands: list[Candidate]) -> DocStats:
    """Count word usage over the whole text (one regex pass, then one look either side of each run)."""
    lower = Counter(_LOWER_WORD.findall(text))
    cap_mid: Counter[str] = Counter(c.low for c in cands if not c.initial)
    cap: Counter[str] = Counter(c.low for c in cands)
    place: Counter[str] = Counter()
    person: Counter[str] = Counter()
    titled: Counter[str] = Counter()
    the: Counter[str] = Counter()
    titles = TABLES.titles
    n = len(cands)
    i = 0
    while i < n:
        c = cands[i]
        j = i + c.run_len
        lows = [k.low for k in cands[i:j]]
        s0 = c.start
        m = _PREV_WORD.search(text, max(0, s0 - 20), s0)
        pw = m.group(1).lower() if m and not text[m.end(1) : s0].strip() else ""
        last = cands[j - 1]
        e0 = last.end + (2 if last.possessive else 0)
        m2 = _NEXT_WORD.match(text, e0, min(len(text), e0 + 20))
        nw = m2.group(1).lower() if m2 and not text[e0 : m2.start(1)].strip(" ,") else ""
        if pw in _PLACE_PREP and c.low not in titles:
            place.update(lows)
        if pw in _SPEECH or nw in _SPEECH or nw in _PERSON_VERB or last.possessive:
            person.update(lows)
        if pw == "the":
            the.update(lows)
        for k in range(1, j - i):
            if lows[k - 1] in titles:
                titled[lows[k]] += 1
        i = j
    return DocStats(lower, cap_mid, cap, place, person, titled, the)


def _share(k: int, n: int) -> str:
    return "0" if k == 0 else "all" if k == n else "lo" if k * 3 < n else "mid" if k * 3 < 2 * n else "hi"


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2" if n < 5 else "5" if n < 20 else "20"


def _shape(text: str) -> str:
    if text.isupper() and len(text) > 1:
        return "XX"
    if "-" in text:
        return "Xx-x"
    if "'" in text or "’" in text:
        return "Xx'x"
    return "Xx" if len(text) > 1 else "X"


def features(text: str, cands: list[Candidate], i: int, stats: DocStats) -> list[str]:
    """Feature strings of candidate ``i`` (shared by training and run time)."""
    c = cands[i]
    low = c.low
    ini = "I" if c.initial else "M"
    titles = TABLES.titles
    key = (low, ini)
    parts = stats.words.get(key)
    if parts is None:
        parts = stats.words[key] = _word_features(low, ini, stats)
    f = list(parts[0])
    f.append("sh=" + _shape(text[c.start : c.end]))
    f += parts[1]
    f.append("rl=" + str(min(c.run_len, 4)))
    rp = "only" if c.run_len == 1 else "first" if c.pos == 0 else "last" if c.pos == c.run_len - 1 else "mid"
    f.append("rp=" + rp)
    f += parts[2]
    if c.run_len > 1:
        plr = places().get(" ".join(k.low for k in cands[i - c.pos : i - c.pos + c.run_len]))
        if plr:
            f.append("plr=" + plr)
    f += parts[3]
    if c.honorific:
        f.append("hon")
    if c.possessive:
        f.append("poss")
    first = i - c.pos
    last = first + c.run_len - 1
    if c.pos > 0:
        p = cands[i - 1].low
        f.append("pin=" + p)
        f.append("pgz=" + TABLES.gazetteer.get(p, "-"))
        if p in titles:
            f.append("after_title")
    if i < last:
        nx = cands[i + 1].low
        f.append("nin=" + nx)
        f.append("ngz=" + TABLES.gazetteer.get(nx, "-"))
        if nx in titles:
            f.append("before_title")
    s0 = cands[first].start
    e0 = cands[last].end
    if cands[last].possessive:
        e0 += 2
    f.extend(_context(text, s0, e0))
    return f


def _word_features(low: str, ini: str, stats: DocStats) -> tuple[tuple[str, ...], ...]:
    """The features of :func:`features` that depend only on the word (and whether it starts a
    sentence), in four pieces that go between the candidate's own: computed once per word."""
    titles = TABLES.titles
    lc = stats.lower[low]
    cm = stats.cap_mid[low]
    ratio = "n" if lc == 0 else "lo" if lc * 4 < cm else "mid" if lc < cm * 2 else "hi"
    first = (
        "b",
        "w=" + low,
        ini + "w=" + low,
        "s3=" + low[-3:],
        "s2=" + low[-2:],
        "p3=" + low[:3],
        "s4=" + low[-4:],
        "p4=" + low[:4],
        "s1=" + low[-1:],
        "p2=" + low[:2],
    )
    second = (
        "ini=" + ini,
        "lc=" + ratio,
        ini + "lc=" + ratio,
        "cm=" + _bucket(cm),
        "cap=" + _bucket(stats.cap[low]),
        ini + "cm=" + _bucket(cm),
        "len=" + str(min(len(low), 9)),
    )
    f: list[str] = []
    n_cap = stats.cap[low]
    for key, cnt in (("dpl", stats.place), ("dpe", stats.person), ("dti", stats.titled), ("dth", stats.the)):
        sh = _share(cnt[low], n_cap)
        f.append(key + "=" + sh)
    f.append("dplpe=" + _share(stats.place[low], n_cap) + _share(stats.person[low], n_cap))
    if low in titles:
        f.append("title")
    if low in TABLES.given_gender or low in TABLES.nick_groups:
        f.append("given")
    dw = "dict" if low in english_words() else "nodict"
    f.append(dw)
    f.append(ini + dw)
    f.append(dw + "lc=" + ratio)
    if low in famous_people():
        f.append("famous")
        f.append(ini + "famous")
    elif low in famous_words():
        f.append("famous_dict")
    wc = word_classes().get(low)
    if wc is not None:
        f.append(f"wc={wc}")
        f.append(f"{ini}wc={wc}")
    pl = places().get(low)
    if pl:
        f.append("pl=" + pl)
        f.append(ini + "pl=" + pl + ("g" if "given" in f else ""))
    gz = TABLES.gazetteer.get(low)
    fourth = ("gz=" + gz, ini + "gz=" + gz) if gz else ()
    return first, second, tuple(f), fourth


@lru_cache(maxsize=16)
def _context(text: str, s0: int, e0: int) -> tuple[str, ...]:
    """The features of the words around a run ``text[s0:e0]``: the same for every word of the run,
    so computed once per run.

    >>> _context("Then Anna said so.", 5, 9)[:3]
    ('pw=then', 'pp=_', 'nw=said')
    """
    f: list[str] = []
    m = _PREV_WORD.search(text, max(0, s0 - 30), s0)
    pw = m.group(1).lower() if m else "<s>"
    gap = text[m.end(1) : s0] if m else ""
    punct = gap.strip()
    f.append("pw=" + pw)
    f.append("pp=" + punct[-1:] if punct else "pp=_")
    m2 = _NEXT_WORD.match(text, e0, min(len(text), e0 + 30))
    nw = m2.group(1).lower() if m2 else "</s>"
    np_ = text[e0 : m2.start(1)].strip() if m2 else ""
    f.append("nw=" + nw)
    f.append("np=" + (np_[:1] if np_ else "_"))
    f.append("pw_nw=" + pw + "|" + nw)
    if m:
        m3 = _PREV_WORD.search(text, max(0, m.start(1) - 30), m.start(1))
        pw2 = m3.group(1).lower() if m3 else "<s>"
        f.append("pw2=" + pw2)
        f.append("pw2_pw=" + pw2 + "|" + pw)
    if m2:
        m4 = _NEXT_WORD.match(text, m2.end(1), min(len(text), m2.end(1) + 30))
        nw2 = m4.group(1).lower() if m4 else "</s>"
        f.append("nw2=" + nw2)
        f.append("nw_nw2=" + nw + "|" + nw2)
    f.append("pp_np=" + (punct[-1:] or "_") + (np_[:1] or "_"))
    return tuple(f)


@cache
def places() -> dict[str, str]:
    """Well-known place names (lower case) and their kind, from ``fabula/data/places.txt.gz``
    (built by ``python -m train.places``; GeoNames, CC BY 4.0, and a hand-written list)."""
    raw = resources.files("fabula").joinpath("data/places.txt.gz").read_bytes()
    rows = (line.split("\t") for line in gzip.decompress(raw).decode("utf-8").splitlines())
    return {name: kind for name, kind in rows}


@cache
def famous_people() -> frozenset[str]:
    """Well-known historical, literary and mythological names (``fabula/data/famous_people.txt``)."""
    raw = resources.files("fabula").joinpath("data/famous_people.txt").read_text(encoding="utf-8")
    words = english_words()
    names = (w for line in raw.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(w for w in names if w not in words and w not in TABLES.given_gender)


@cache
def famous_words() -> frozenset[str]:
    """The well-known names that are also dictionary words (``Homer``, ``Narcissus``)."""
    raw = resources.files("fabula").joinpath("data/famous_people.txt").read_text(encoding="utf-8")
    names = (w for line in raw.splitlines() if not line.startswith("#") for w in line.split())
    return frozenset(w for w in names if w in english_words() and w not in TABLES.given_gender)


@cache
def word_classes() -> dict[str, int]:
    """Distributional classes of capitalised words (``fabula/data/clusters.tsv.gz``, built from
    LitBank's unannotated original novels by ``python -m train.clusters``)."""
    raw = resources.files("fabula").joinpath("data/clusters.tsv.gz").read_bytes()
    rows = (line.split("\t") for line in gzip.decompress(raw).decode("utf-8").splitlines())
    return {w: int(c) for w, c in rows}


@dataclass(frozen=True)
class Model:
    """Two linear models over feature strings; a positive score means a name.

    ``local`` scores a candidate from its own features; ``doc`` rescores it with those plus how
    the local model scored the other uses of the same word in the text (names are names
    throughout a story).
    """

    local: dict[str, float]
    doc: dict[str, float]
    version: str = "3"
    again: dict[str, float] | None = None
    """An optional third model: ``doc`` once more, with the second model's scores of the word's
    other uses and of its neighbours (self-training over the document)."""

    @staticmethod
    def _score(w: dict[str, float], feats: list[str]) -> float:
        return sum(filter(None, map(w.get, feats)))

    def scores(self, feats: list[list[str]], lows: list[str], cands: list[Candidate]) -> list[float]:
        """Final scores of every candidate of one text (features from :func:`features`)."""
        first = [self._score(self.local, f) for f in feats]
        second = second_features(first, lows, cands)
        out = [self._score(self.doc, f + g) for f, g in zip(feats, second, strict=True)]
        if self.again:
            third = second_features(out, lows, cands, prefix="t")
            out = [self._score(self.again, f + g + h) for f, g, h in zip(feats, second, third, strict=True)]
        return out


def _score_bucket(x: float) -> str:
    return "<-4" if x < -4 else "<0" if x < 0 else "<4" if x < 4 else ">4"


def second_features(first: list[float], lows: list[str], cands: list[Candidate], prefix: str = "") -> list[list[str]]:
    """The document-level model's extra features: how the local model scored the other uses of
    the same word (:func:`doc_features`) and the candidate's neighbours in its run."""
    agg = doc_agg(first, lows)
    out = []
    for i, (lw, c) in enumerate(zip(lows, cands, strict=True)):
        g = doc_features(agg[lw])
        if c.pos > 0:
            g.append("pn=" + _score_bucket(first[i - 1]))
        if c.pos < c.run_len - 1:
            g.append("nn=" + _score_bucket(first[i + 1]))
        out.append([prefix + x for x in g] if prefix else g)
    return out


def doc_agg(scores: list[float], lows: list[str]) -> dict[str, tuple[float, int, int]]:
    """Per word: the sum of its local scores, how many are positive, how many uses."""
    agg: dict[str, tuple[float, int, int]] = {}
    for sc, lw in zip(scores, lows, strict=True):
        t, p, n = agg.get(lw, (0.0, 0, 0))
        agg[lw] = (t + sc, p + (sc > 0), n + 1)
    return agg


def doc_features(a: tuple[float, int, int]) -> list[str]:
    """Features of how a word is scored across the whole text."""
    total, pos, n = a
    mean = total / n
    mb = (
        "<-4"
        if mean < -4
        else "<-1"
        if mean < -1
        else "<0"
        if mean < 0
        else "<1"
        if mean < 1
        else "<4"
        if mean < 4
        else ">4"
    )
    frac = pos / n
    fb = "0" if pos == 0 else "all" if pos == n else "lo" if frac < 0.34 else "mid" if frac < 0.67 else "hi"
    return ["dm=" + mb, "df=" + fb, "dfm=" + fb + mb, "dn=" + _bucket(n)]


@cache
def load_model() -> Model:
    """The shipped mention model (``fabula/data/mentions.json``); no download, loaded once."""
    raw = json.loads(resources.files("fabula").joinpath("data/mentions.json").read_text(encoding="utf-8"))
    return Model(local=raw["local"], doc=raw["doc"], version=str(raw.get("version", "3")), again=raw.get("again"))


THRESHOLD = 0.0
RULE_FLOOR = -4.0
PLACE_WORD_SURE = 20.0
PROPAGATE_FLOOR = -12.0
_PERSON_VERB = frozenset(
    "said says asked replied smiled nodded laughed grinned sighed whispered shouted cried muttered murmured "
    "would could should might must will can shall thought knew felt looked turned walked frowned shrugged "
    "gasped sobbed stared glanced wanted loved hated wondered answered called yelled screamed did was had "
    "has is does".split()
)
_PEOPLES = ("men", "ians", "ans", "ites", "ards")
_PLACE_SUFFIXES = ("ia", "land", "shire", "ville", "burgh", "burg", "chester", "bury", "mouth", "polis", "stan", "ica")
_PLACE_OR_FIRM_AFTER = re.compile(r"(?:['’]s ([A-Z][a-z]+)\b| (?:and|&) Co\b)")
_PLACE_AFTER_POSSESSIVE = TABLES.place_words | {"land"}
_PLACE_PREFIX = frozenset("mt mount lake fort cape port loch glen gulf isle mont".split())
_PLACE_BEFORE = frozenset({"the", "a", "an", "in", "into", "on", "from", "of", "this", "that", "our", "their"})
# before a word in no dictionary, "of" is no sign of a place ("the army of Aurungzebe")
_PLACE_BEFORE_UNKNOWN = _PLACE_BEFORE - {"of"}


def _unknown_word_name(text: str, cands: list[Candidate], i: int, stats: DocStats, words: frozenset[str]) -> bool:
    """The fallback for names the model has never seen (``Aizen``, ``Ichimaru``): a word that is
    in no dictionary, never written in lower case in this text, and not after ``the`` / ``into``."""
    c = cands[i]
    low = c.low
    if low in words or stats.lower[low] or len(low) < 3 or not low.replace("-", "").isalpha() or low in TABLES.titles:
        return False
    if low.endswith(_PLACE_SUFFIXES) and low not in TABLES.gazetteer:
        return False
    if places().get(low, "city") != "city":
        return False  # "France", "Derbyshire", "Mars"
    if low.endswith(_PEOPLES):
        return False  # "Englishmen", "Americans": peoples, not people
    if stats.place[low] * 2 >= stats.cap[low] and not stats.person[low]:
        return False  # "to Raveloe", "at Nauheim": used as a place here, never as a person
    return c.pos > 0 or not _after_place_word(text, c.start, _PLACE_BEFORE_UNKNOWN)


def _apply_rules(text: str, cands: list[Candidate], scores: list[float], stats: DocStats, accept: list[bool]) -> None:
    """Names the model has not seen (fan fiction's ``Aizen``, ``Ichimaru``), decided by rule:

    - a word in no dictionary and never in lower case in this text, not after ``the`` or a
      place preposition, whose score is not far below zero, or that is followed by a verb
      people do (``Aizen would``, ``Renji said``; not a known place, not a plural), or that
      follows a given name (``Ada Vey``);
    - a word addressed in speech (``..., Huckleberry--``);
    - then every other use of a word accepted somewhere, unless its score is very low or
      ``the`` stands before it (one name, one reading, throughout a story);
    - and none of a run that names a place or a firm (``Lake George``, ``Lynde's Hollow``,
      ``Carston, Waite and Co.``), nor a known place that starts a run after ``from`` / ``in``
      (``from Freetown John Clayton``), nor one right after ``Committee of`` (``Public Safety``).
    """
    words = english_words()
    for i, c in enumerate(cands):
        if accept[i] or not _unknown_word_name(text, cands, i, stats, words):
            continue
        if scores[i] > RULE_FLOOR or c.low in famous_people():
            accept[i] = True
            continue
        if (
            (_verb_follows(text, cands, i, past=True) and c.low not in places() and not c.low.endswith("s"))
            or _syllable_name(c.low, words)
            or _said_before(text, cands[i - c.pos])
            or (c.pos > 0 and _given(cands[i - 1].low))  # "Ada Vey": a given name, then a surname
            or cands[i - c.pos + c.run_len - 1].possessive  # "Tippoo's household"
        ):
            accept[i] = True
    # a word name ("Tuppence", "Hope"): never in lower case here, capitalised mid-sentence
    # again and again, and the subject of a verb people do at least once
    for i, c in enumerate(cands):
        low = c.low
        if accept[i] or low not in words or stats.lower[low] or low in TABLES.titles:
            continue
        given = low in TABLES.given_gender or TABLES.gazetteer.get(low) in ("he", "she")
        if stats.cap_mid[low] < (1 if given else 2):
            continue
        if _verb_follows(text, cands, i, past=True) and not _after_place_word(text, c.start):
            accept[i] = True
    # a famous name that is also a word ("Homer", "Ruskin"), capitalised mid-sentence and never in lower case here
    for i, c in enumerate(cands):
        if not accept[i] and c.run_len == 1 and not c.initial and c.low in famous_words() and not stats.lower[c.low]:
            if not _after_place_word(text, c.start, _PLACE_BEFORE_UNKNOWN):
                accept[i] = True
    # a word addressed inside speech ("Don't scrunch up like that, Huckleberry--")
    for i, c in enumerate(cands):
        if not accept[i] and c.run_len == 1 and not c.initial and _vocative(text, c):
            low = c.low
            if low not in TABLES.titles and low not in _KIN_NOMINALS and low not in _ADDRESS and not stats.lower[low]:
                accept[i] = True
    _complete_runs(text, cands, accept, words)
    # a title just before a name is part of it ("Captain John Good")
    for i in range(len(cands) - 2, -1, -1):
        c = cands[i]
        if not accept[i] and c.low in TABLES.titles and accept[i + 1] and cands[i + 1].run == c.run:
            accept[i] = True
    _reject_places(cands, accept, scores)
    names = {c.low for c, ok in zip(cands, accept, strict=True) if ok}
    for i, c in enumerate(cands):
        if accept[i] or c.low not in names or _after_place_word(text, c.start):
            continue
        if scores[i] > PROPAGATE_FLOOR or _verb_follows(text, cands, i) or c.low in TABLES.given_gender:
            accept[i] = True
    _complete_runs(text, cands, accept, words)
    _reject_places(cands, accept, scores)
    # "Lynde's Hollow", "Leichardt's Town": a possessive before a place word names a place;
    # "Carston, Waite and Co.": a firm
    for i, c in enumerate(cands):
        if accept[i] and c.pos == c.run_len - 1:
            m = _PLACE_OR_FIRM_AFTER.match(text, c.end)
            if m and (m.group(1) is None or (c.possessive and m.group(1).lower() in _PLACE_AFTER_POSSESSIVE)):
                for k in range(i - c.pos, i + 1):
                    accept[k] = False
    # "from Freetown John Clayton": a known place after a place preposition starts no name
    for i, c in enumerate(cands):
        if c.pos == 0 and c.run_len > 1 and accept[i] and c.low in places() and c.low not in TABLES.given_gender:
            m = _PREV_WORD.search(text, max(0, c.start - 20), c.start)
            if m and m.group(1).lower() in _PLACE_PREP and not text[m.end(1) : c.start].strip():
                accept[i] = False
    # "Christmas Eve", "New Year's Day", "Midsummer Night": a feast day, not a person
    for i, c in enumerate(cands):
        if accept[i] and c.low in _FEAST_HEADS:
            m = _PREV_WORD.search(text, max(0, c.start - 20), c.start)
            prev = m.group(1).lower().replace("’", "'").removesuffix("'s").removesuffix("'") if m else ""
            if m and prev in _FEASTS and not text[m.end(1) : c.start].strip():
                for k in range(i - c.pos, i + 1):
                    accept[k] = False
    # "the Committee of Public Safety", "the Order of Elks": a body's name, not a person's
    for i, c in enumerate(cands):
        if c.pos == 0 and accept[i] and _BODY_OF.search(text, max(0, c.start - 24), c.start):
            for k in range(i, i + c.run_len):
                accept[k] = False
    _reject_nominals(text, cands, accept)


_BODY_OF = re.compile(
    r"\b(?:Committee|Bank|Society|Council|Board|Court|Ministry|Department|College|University|Academy|Institute"
    r"|Company|Order|Church|Chamber|Office|Museum|School|Hospital|Bureau|Assembly|Parliament) of (?:the )?$"
)
_FEAST_HEADS = frozenset({"eve", "day", "night", "morning", "sunday", "monday"})
_FEASTS = frozenset(
    "christmas year hallow hallows midsummer easter whit twelfth boxing candlemas michaelmas lammas agnes".split()
)


def _complete_runs(text: str, cands: list[Candidate], accept: list[bool], words: frozenset[str]) -> None:
    """Accept the rest of a run whose one word is a name (``Mira Vell``, ``Ichimaru Gin``)."""
    for i, c in enumerate(cands):
        if accept[i] or c.low in TABLES.titles:
            continue
        if c.pos == 0 and c.initial and c.low in words and TABLES.gazetteer.get(c.low) not in ("he", "she"):
            continue  # "Following Gin": a sentence's first word, not a first name
        if c.low in words and not _given(c.low) and text[c.start : c.end].isupper():
            continue  # "I MEET SIR HENRY CURTIS": a heading's word, not a name's
        first = i - c.pos
        if any(accept[first : first + c.run_len]) and not _after_place_word(text, cands[first].start):
            accept[i] = True


_KIN_NOMINALS = frozenset(
    "papa mama mamma mammy pa ma mum mummy dad daddy ladyship lordship majesty highness excellency".split()
)
_NOMINAL_DET = re.compile(
    r"(?<![\w'’])(?:(?:[Aa]n?|[Yy]our|[Oo]ur|[Tt]heir)(?: (?!and |or |but |of )[a-z]+)?|two|three|four|five"
    r"|[Hh]is|[Mm]y|[Aa]nother|[Aa]ny) $"
)


_ESQUIRE = re.compile(r",? Esq\b")


def _reject_nominals(text: str, cands: list[Candidate], accept: list[bool]) -> None:
    """A run after ``a``, ``your``, ``our`` (``a Mrs. Weston``, ``your Ladyship``, ``three
    Brahmins``) or before ``, Esq.`` is a nominal in LitBank, not a name."""
    for i, c in enumerate(cands):
        if c.pos == 0 and accept[i] and _NOMINAL_DET.search(text, max(0, c.start - 24), c.start):
            for k in range(i, i + c.run_len):
                accept[k] = False
        elif c.pos == c.run_len - 1 and accept[i] and not c.possessive and _ESQUIRE.match(text, c.end):
            for k in range(i - c.pos, i + 1):
                accept[k] = False


def _reject_places(cands: list[Candidate], accept: list[bool], scores: list[float]) -> None:
    """A run ending in a place word (``Kellynch Hall``, ``Pyncheon Street``) names a place,
    unless the model is sure the word is a name there (``Charlotte Temple``); so does one
    starting with ``Mt`` / ``Lake`` / ``Fort`` (``Lake George``)."""
    places = TABLES.place_words
    for i, c in enumerate(cands):
        if c.pos == 0 and c.run_len > 1 and c.low in _PLACE_PREFIX:
            for k in range(i, i + c.run_len):
                accept[k] = False  # "Mt Kenia", "Lake George", "Fort Edward"
        elif c.pos == c.run_len - 1 and c.run_len > 1 and c.low in places and scores[i] < PLACE_WORD_SURE:
            first = i - c.pos
            if cands[first].low not in TABLES.titles:
                for k in range(first, i + 1):
                    accept[k] = False


def _verb_follows(text: str, cands: list[Candidate], i: int, *, past: bool = False) -> bool:
    """Is the run of candidate ``i`` followed by a verb people do (``Will did``, ``Aizen would``;
    with ``past``, any word ending in ``-ed`` too, ``Seo-yeon waited``, and, after a known
    given name, any word then ``his`` / ``her``, ``Nell shook her head``)?"""
    c = cands[i]
    e = cands[i + c.run_len - 1 - c.pos].end
    m = _NEXT_WORD.match(text, e, min(len(text), e + 20))
    if not m or text[e : m.start(1)].strip():
        return False
    w = m.group(1).lower()
    if w in _PERSON_VERB or (past and len(w) > 4 and w.endswith("ed")):
        return True
    # "Nell shook her head", "Tom raised his hat": a verb whose object is the subject's own
    m2 = _NEXT_WORD.match(text, m.end(1), min(len(text), m.end(1) + 12))
    given = cands[i].low in TABLES.given_gender
    return bool(past and given and m2 and w.isalpha() and m2.group(1).lower() in ("his", "her", "their"))


_VOCATIVE_AFTER = re.compile(r"[,!?;]|--|—|\.[\"”’']")
_ADDRESS = frozenset("son sonny boy girl child dear darling honey love sweetheart man sir ma'am".split())


def _vocative(text: str, c: Candidate) -> bool:
    """Is ``c`` a word addressed in speech: after ``", "``, before ``,`` / ``!`` / ``?`` / a dash,
    with a quotation open on its line?"""
    if text[max(0, c.start - 2) : c.start] != ", ":
        return False
    if not _VOCATIVE_AFTER.match(text, c.end + (2 if c.possessive else 0)):
        return False
    line = text[text.rfind("\n", 0, c.start) + 1 : c.start]
    return line.count("“") > line.count("”") or line.count('"') % 2 == 1 or line.count("‘") > line.count("’")


def _given(low: str) -> bool:
    """Is ``low`` a given name (the census list or the hand-written one)?"""
    return low in TABLES.given_gender or TABLES.gazetteer.get(low) in ("he", "she")


def _said_before(text: str, first: Candidate) -> bool:
    """Does a speech verb stand just before the run that starts with ``first`` (``said Ichimaru Gin``)?"""
    m = _PREV_WORD.search(text, max(0, first.start - 20), first.start)
    return bool(m and m.group(1).lower() in _SPEECH and not text[m.end(1) : first.start].strip())


def _syllable_name(low: str, words: frozenset[str]) -> bool:
    """A romanised Korean / Chinese given name: short hyphenated syllables, none an English word."""
    parts = low.split("-")
    return len(parts) == 2 and all(1 < len(p) <= 5 and p not in words for p in parts)


def _after_place_word(text: str, start: int, before: frozenset[str] = _PLACE_BEFORE) -> bool:
    m = _PREV_WORD.search(text, max(0, start - 30), start)
    return bool(m and m.group(1).lower() in before and not text[m.end(1) : start].strip())


def name_spans(
    text: str, cands: list[Candidate], stats: DocStats, model: Model | None = None, *, rules: bool = True
) -> list[tuple[int, int]]:
    """Spans of person names among ``cands``: positive candidates next to each other in a run.

    With ``rules`` (the default) a word in no dictionary and never in lower case counts as a
    name too, unless ``the`` or a place preposition stands before it.
    """
    model = model or load_model()
    feats = [features(text, cands, i, stats) for i in range(len(cands))]
    scores = model.scores(feats, [c.low for c in cands], cands)
    spans: list[tuple[int, int]] = []
    cur: tuple[int, int, int] | None = None  # start, end, run
    accept = [bool(c.honorific) or sc > THRESHOLD for c, sc in zip(cands, scores, strict=True)]
    if rules:
        _apply_rules(text, cands, scores, stats, accept)
    for c, ok in zip(cands, accept, strict=True):
        if ok:
            if cur is not None and cur[2] == c.run:
                cur = (cur[0], c.end, c.run)
            else:
                if cur is not None:
                    spans.append((cur[0], cur[1]))
                cur = (c.start, c.end, c.run)
        elif cur is not None:
            spans.append((cur[0], cur[1]))
            cur = None
    if cur is not None:
        spans.append((cur[0], cur[1]))
    titles = TABLES.titles
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            continue  # inside the last name's "of" place ("Mr. Waymarsh of Milrose Connecticut")
        words = [_base(w)[0] for w in text[s:e].replace(".", " ").split()]
        if all(w in titles or w in _KIN_NOMINALS for w in words):
            continue  # a bare title ("Captain") or kin word ("Papa"): not a name
        if len(words) > 1 and words[-1] in titles and text.startswith(" of ", e):
            e = s + len(text[s:e].rsplit(None, 1)[0])  # "Eliza Countess of Gaverick": the name is "Eliza"
        m = _MODIFIER.search(text, max(0, s - 32), s)
        r = _REGNAL.match(text, e)
        e = r.end() if r else e
        r = _OF_PLACE.match(text, e)
        out.append((m.start() if m else s, r.end() if r else e))
    return out


def find_names(text: str, model: Model | None = None) -> list[tuple[str, int, int]]:
    """Person names in ``text`` as ``(text, start, end)``; a convenience over :func:`name_spans`."""
    cands = candidates(text)
    stats = doc_stats(text, cands)
    return [(text[s:e], s, e) for s, e in name_spans(text, cands, stats, model)]
