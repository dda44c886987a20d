"""Voice: how each character speaks, learned within one story (issue 4).

A character's voice is what their lines share that other characters' lines do not:
eye-dialect spellings (dropped final letters as in ``blushin'`` or ``hur'``, ``ya``, ``meh``,
``I'z``, ``gonna``), signature words, and register (contractions, exclamations, short lines).
:func:`voice_features` turns one line into a bag of features; a :class:`VoiceProfile`
accumulates the lines attributed to one character; :func:`rank_voices` scores an
unattributed line against several profiles (multinomial naive Bayes with add-one smoothing,
features weighted by how much they tell the profiles apart).

The dialect part is deliberately a small, open lexicon plus shape rules, so that the
dialect normaliser (issue 6) can reuse :func:`eye_dialect_tokens` and extend the lexicon.

>>> f = voice_features("Don' be scared, Idzuru... I'z won' hur' ya.")
>>> f["dialect"], f["w:ya"], f["shape:drop-final"] >= 2
(5.0, 1.0, True)
>>> voice_features("No, it really doesn't.")["dialect"]
0.0
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Words that are eye dialect on their own (lower case, straight apostrophes).
EYE_DIALECT_WORDS: frozenset[str] = frozenset(
    """ya yer yah yeh yew ye y'all yall meh mah ma' uh i'z iz gonna wanna gotta hafta dunno lemme gimme
    kinda sorta outta lotta coulda woulda shoulda musta ain't aint nuthin nothin' nothin somethin' somethin
    'em 'cause 'cos cos 'bout 'round 'til fer ter ta t' o' th' tha da dat dis dem dose dey wid wit innit
    naw nah yup yep yeah dat's wha' wha whaddya whatcha gotcha y'know ye'll ye've 'ave 'is 'er 'im 'e
    tha's wha's le's jus' an' wif dere 'ere ol' li'l lil git yo'self mahself mebbe mayhap gal fella feller
    summat nowt owt aye""".split()
)
# Standard words that end in an apostrophe-less form of the shapes below; never dialect.
_STANDARD_CLIPPED = frozenset("o' ma'am".split())

_MARKS = "\"'\u2018\u2019\u201c\u201d\u00ab\u00bb~*_ \t\n"
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*['\u2019]?|['\u2019][A-Za-z]+")
_DROP_G = re.compile(r"[a-z]{2,}in['\u2019]$")
_DROP_FINAL = re.compile(r"[a-z]+['\u2019]$")
_DROP_HEAD = re.compile(r"^['\u2019][a-z]+$")
_CONTRACTION = re.compile(r"[a-z]+['\u2019](?:s|t|re|ve|ll|d|m)$")

#: Function words that say little about a voice; kept out of the signature-word features.
_COMMON = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being am it its
    i me my you your he him his she her we us our they them their this that these those there here what
    which who whom do does did not no so than then too very can could will would shall should may might
    must have has had just all any some one""".split()
)


def eye_dialect_tokens(text: str) -> list[tuple[int, int, str]]:
    """The eye-dialect words of ``text``: ``(start, end, kind)`` with kind ``word``,
    ``drop-g``, ``drop-final`` or ``drop-head``.

    >>> line = "Wha's up, jus' blushin' at 'em"
    >>> [(line[s:e], k) for s, e, k in eye_dialect_tokens(line)]
    [("Wha's", 'word'), ("jus'", 'word'), ("blushin'", 'drop-g'), ("'em", 'word')]
    """
    out: list[tuple[int, int, str]] = []
    for m in _WORD.finditer(text):
        kind = _dialect_kind(m.group().lower().replace("\u2019", "'"))
        if kind is not None and not (kind == "drop-head" and _is_quote_mark_word(text, m.start())):
            out.append((m.start(), m.end(), kind))
    return out


def _is_quote_mark_word(text: str, i: int) -> bool:
    # "'Hello" at the very start of a single-quoted line is a quote mark, not an elision.
    return i == 0 or not text[i - 1].isspace()


def voice_features(text: str) -> dict[str, float]:
    """A line's voice as feature counts.

    Features: ``w:<word>`` for eye-dialect words, ``shape:<kind>`` for dropped letters,
    ``dialect`` (all eye-dialect tokens) and ``plain`` (all other words), ``sig:<word>`` for
    content words, ``contraction``, ``exclaim``, ``question``, ``ellipsis``.

    >>> sorted(k for k in voice_features("Come with meh!") if not k.startswith("sig:"))
    ['dialect', 'exclaim', 'plain', 'w:meh']
    """
    feats: dict[str, float] = {"dialect": 0.0}
    dialect = plain = 0
    # the line's own marks off, so that an opening single quote is not read as an elision
    body = text.strip(_MARKS).lower().replace("\u2019", "'")
    for w, n in Counter(_WORD.findall(body)).items():
        kind = _dialect_kind(w)
        if kind is not None:
            dialect += n
            key = "w:" + w if kind == "word" else "shape:" + kind
            feats[key] = feats.get(key, 0.0) + n
            continue
        plain += n
        if "'" in w and _CONTRACTION.search(w):
            feats["contraction"] = feats.get("contraction", 0.0) + n
        bare = w.strip("'")
        if len(bare) > 2 and bare not in _COMMON:
            key = "sig:" + bare
            feats[key] = feats.get(key, 0.0) + n
    feats["dialect"] = float(dialect)
    if plain:
        feats["plain"] = float(plain)
    for key, k in (("exclaim", text.count("!")), ("question", text.count("?")),
                   ("ellipsis", text.count("...") + text.count("\u2026"))):
        if k:
            feats[key] = float(k)
    return feats


def _dialect_kind(w: str) -> str | None:
    """The eye-dialect kind of the lower-cased word ``w`` (None for a standard word)."""
    if w in _STANDARD_CLIPPED:
        return None
    if w in EYE_DIALECT_WORDS:
        return "word"
    if "'" not in w:
        return None
    if _DROP_G.search(w):
        return "drop-g"
    if _DROP_FINAL.search(w) and not w.endswith("s'"):  # "the lads'" is a plural possessive
        return "drop-final"
    if _DROP_HEAD.match(w):
        return "drop-head"
    return None


@dataclass(slots=True)
class VoiceProfile:
    """The accumulated voice of one character: feature counts over the lines given to it.

    >>> p = VoiceProfile("gin")
    >>> p.add(voice_features("Don' be scared, ya hear?"))
    >>> p.lines, p.dialect_rate() > 0.3
    (1, True)
    """

    character: str
    counts: Counter[str] = field(default_factory=Counter)
    lines: int = 0

    def add(self, features: Mapping[str, float]) -> None:
        """Add one line's features."""
        self.counts.update(features)
        self.lines += 1

    def words(self) -> float:
        """How many words the profile has seen."""
        return self.counts["dialect"] + self.counts["plain"]

    def dialect_rate(self) -> float:
        """The share of this character's words that are eye dialect (smoothed)."""
        return (self.counts["dialect"] + 0.5) / (self.words() + 1.0)


_LEXICAL = ("w:", "shape:", "sig:")


class VoiceModel:
    """Several profiles, ready to score lines: feature weights and totals computed once.

    A feature's weight is 1 when one profile uses it and falls to 0 as more profiles share it.
    """

    def __init__(self, profiles: Iterable[VoiceProfile]) -> None:
        self.profiles = {p.character: p for p in profiles if p.lines}
        users: Counter[str] = Counter()
        self.totals: dict[str, float] = {}
        for p in self.profiles.values():
            lexical = [k for k in p.counts if k.startswith(_LEXICAL)]
            users.update(lexical)
            self.totals[p.character] = float(sum(p.counts[k] for k in lexical))
        n = max(len(self.profiles), 1)
        self.weights = {k: 1.0 - (u - 1) / n for k, u in users.items()}
        self.vocab = max(len(users), 1)

    def rank(self, features: Mapping[str, float], characters: Iterable[str] | None = None) -> list[tuple[str, float]]:
        """Posterior probability of each character (all, or those given) having said the line, best first."""
        chosen = [self.profiles[c] for c in (self.profiles if characters is None else characters) if c in self.profiles]
        if not chosen:
            return []
        lexical = [(k, v, self.weights.get(k, 0.0)) for k, v in features.items() if k.startswith(_LEXICAL)]
        dialect, plain = features.get("dialect", 0.0), features.get("plain", 0.0)
        logs: list[tuple[str, float]] = []
        for p in chosen:
            rate = p.dialect_rate()
            score = dialect * math.log(rate) + plain * math.log(1.0 - rate)
            denom = self.totals[p.character] + 0.1 * self.vocab
            for k, v, w in lexical:
                if w:
                    score += v * w * math.log((p.counts.get(k, 0.0) + 0.1) / denom)
            logs.append((p.character, score))
        top = max(s for _, s in logs)
        z = sum(math.exp(s - top) for _, s in logs)
        ranked = [(c, math.exp(s - top) / z) for c, s in logs]
        ranked.sort(key=lambda x: -x[1])
        return ranked


def rank_voices(features: Mapping[str, float], profiles: Iterable[VoiceProfile]) -> list[tuple[str, float]]:
    """Posterior probability of each profile's character having said a line, best first.

    Features that every profile uses equally carry no weight; a feature only one profile
    uses weighs fully (see :class:`VoiceModel`).

    >>> gin, kira = VoiceProfile("gin"), VoiceProfile("kira")
    >>> gin.add(voice_features("Don' be scared, ya hear? I'z won' hur' ya."))
    >>> kira.add(voice_features("Captain, where are we going? It really doesn't matter."))
    >>> rank_voices(voice_features("Tha's my boy, le's go."), [gin, kira])[0][0]
    'gin'
    """
    return VoiceModel(profiles).rank(features)
