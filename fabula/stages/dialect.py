"""Voice normalisation: the standard form of every eye-dialect spelling in speech (issue 6).

Writers spell a voice: ``blushin'`` (a dropped g), ``hur'`` and ``Don'`` (dropped final
consonants), ``matta'`` (a dropped r), ``ya``, ``meh``, ``gonna``, ``'em``, ``I'z``. This stage
writes a ``normalizations`` layer giving each such word in speech its standard form, from a
small lexicon plus shape rules checked against the English word list, so that ``hur'`` becomes
*hurt* (not *hurl*) and ``the lads'`` (a plural possessive) is left alone. Narration, thoughts
and names are never normalised. :func:`character_voices` sums each speaker's voice for the
report (share of dialect words, the forms used, signature words).

>>> normalize_word("blushin'"), normalize_word("Don'"), normalize_word("upse'"), normalize_word("Tha's")
(('blushing', ()), ("Don't", ()), ('upset', ()), ("That's", ()))
>>> normalize_word("lads'") is None, normalize_word("Idzuru") is None
(True, True)
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from fabula.model import Normalization, Quote, Story
from fabula.pipeline import stage
from fabula.stages.lexicon import CONTRACTIONS, lexicon

#: Eye-dialect words and their standard forms: form -> (standard, alternatives).
DIALECT_WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ya": ("you", ()),
    "yah": ("you", ()),
    "yeh": ("you", ()),
    "yew": ("you", ()),
    "ye": ("you", ()),
    "yer": ("your", ("you're", "you are")),
    "yo'self": ("yourself", ()),
    "meh": ("me", ()),
    "mah": ("my", ()),
    "mahself": ("myself", ()),
    "gonna": ("going to", ()),
    "wanna": ("want to", ()),
    "gotta": ("got to", ("have got to", "have to")),
    "hafta": ("have to", ()),
    "kinda": ("kind of", ()),
    "sorta": ("sort of", ()),
    "outta": ("out of", ()),
    "lotta": ("lot of", ()),
    "coulda": ("could have", ()),
    "woulda": ("would have", ()),
    "shoulda": ("should have", ()),
    "musta": ("must have", ()),
    "dunno": ("don't know", ()),
    "lemme": ("let me", ()),
    "gimme": ("give me", ()),
    "gotcha": ("got you", ()),
    "whatcha": ("what are you", ("what have you",)),
    "whaddya": ("what do you", ()),
    "y'know": ("you know", ()),
    "c'mon": ("come on", ()),
    "s'pose": ("suppose", ()),
    "d'you": ("do you", ()),
    "'em": ("them", ()),
    "'cause": ("because", ()),
    "'cos": ("because", ()),
    "cos": ("because", ()),
    "coz": ("because", ()),
    "'bout": ("about", ()),
    "'round": ("around", ()),
    "'til": ("until", ()),
    "'im": ("him", ()),
    "'er": ("her", ()),
    "'is": ("his", ()),
    "'e": ("he", ()),
    "'ave": ("have", ()),
    "'ere": ("here", ()),
    "fer": ("for", ()),
    "ter": ("to", ()),
    "t'": ("to", ()),
    "o'": ("of", ()),
    "th'": ("the", ()),
    "tha": ("the", ()),
    "dat": ("that", ()),
    "dis": ("this", ()),
    "dem": ("them", ()),
    "dey": ("they", ()),
    "dere": ("there", ()),
    "wid": ("with", ()),
    "wif": ("with", ()),
    "nuthin": ("nothing", ()),
    "nuthin'": ("nothing", ()),
    "innit": ("isn't it", ()),
    "an'": ("and", ()),
    "ol'": ("old", ()),
    "li'l": ("little", ()),
    "lil": ("little", ()),
    "mebbe": ("maybe", ()),
    "summat": ("something", ()),
    "nowt": ("nothing", ()),
    "owt": ("anything", ()),
    "wha'": ("what", ()),
    "wi'": ("with", ()),
    "dat's": ("that's", ()),
    "y'all": ("you all", ()),
    "yall": ("you all", ()),
    "ye'll": ("you'll", ()),
    "ye've": ("you've", ()),
    "feller": ("fellow", ()),
    "'nuff": ("enough", ()),
    "'cept": ("except", ()),
    "'fraid": ("afraid", ()),
    "'course": ("of course", ()),
    "i's": ("I'm", ("I am", "I is")),
    "wha": ("what", ()),
    "jus": ("just", ()),
    "jus'": ("just", ()),
    "cap'n": ("captain", ()),
    # Scots and Northern English voices
    "ah'm": ("I'm", ()),
    "ah'd": ("I'd", ()),
    "ah've": ("I've", ()),
    "ah'll": ("I'll", ()),
    "dinnae": ("don't", ()),
    "dinna": ("don't", ()),
    "cannae": ("can't", ()),
    "canna": ("can't", ()),
    "didnae": ("didn't", ()),
    "didna": ("didn't", ()),
    "couldnae": ("couldn't", ()),
    "wouldnae": ("wouldn't", ()),
    "shouldnae": ("shouldn't", ()),
    "isnae": ("isn't", ()),
    "wasnae": ("wasn't", ()),
    "willnae": ("won't", ()),
    "havnae": ("haven't", ()),
    "disnae": ("doesn't", ()),
    "gonnae": ("going to", ()),
    "no'": ("not", ()),
    "fae": ("from", ()),
    "frae": ("from", ()),
    "tae": ("to", ("too",)),
    "oot": ("out", ()),
    "aboot": ("about", ()),
    "hoose": ("house", ()),
    "doon": ("down", ()),
    "masel": ("myself", ()),
    "masel'": ("myself", ()),
    "yersel": ("yourself", ()),
    "yersel'": ("yourself", ()),
    "wis": ("was", ()),
}

# Words whose apostrophe is standard English, never a dropped letter.
_STANDARD = frozenset({"o'clock", "ma'am", "ne'er-do-well", "rock'n'roll"})
_WORD = re.compile(r"(?<![\w'\u2019])['\u2019]?[A-Za-z]+(?:['\u2019][A-Za-z]+)*['\u2019]?")
# "I'z" is "I'm" before a going-to future or a participle, else plain "I" ("I'z won' hur' ya").
_IZ_AM = re.compile(r"\s+(?:gonna|going|goin['\u2019]?|\w+in['\u2019]|\w+ing\b|not\b|so\b|sure\b|here\b|a\b)", re.I)
# "uh" is the article only between two words ("like uh school girl"), not the interjection "Uh, ...".
_UH_ARTICLE = re.compile(r"[A-Za-z]\s+$")
_NEXT_WORD = re.compile(r"\s+[A-Za-z]")


def _match_case(form: str, standard: str) -> str:
    core = form.strip("'\u2019")
    if len(core) > 1 and core.isupper():
        return standard.upper()
    if core[:1].isupper():
        return standard[:1].upper() + standard[1:]
    return standard


def _common(word: str) -> bool:
    """A word seen in the reference novels (not merely a rule-made inflection of a rare headword)."""
    w = word.lower()
    return w in CONTRACTIONS or lexicon().count(w) > 0


def normalize_word(form: str) -> tuple[str, tuple[str, ...]] | None:
    """The standard form of one eye-dialect word and its alternatives, or None if it is standard.

    Context-free: ``uh`` and ``I'z`` depend on their neighbours and are handled by the stage.

    >>> normalize_word("matta'"), normalize_word("gonna"), normalize_word("'em")
    (('matter', ()), ('going to', ()), ('them', ()))
    """
    w = form.lower().replace("\u2019", "'")
    if w in _STANDARD:
        return None
    hit = DIALECT_WORDS.get(w)
    if hit is not None:
        return _match_case(form, hit[0]), tuple(_match_case(form, a) for a in hit[1])
    if form[:1].isupper() and "'" not in w and w not in DIALECT_WORDS:
        return None  # a name, or a standard word starting a sentence
    standard = _shape(w)
    return None if standard is None else (_match_case(form, standard), ())


def _shape(w: str) -> str | None:
    """Dropped letters told by the word's shape, checked against the word list."""
    known = lexicon().known
    if w.endswith("'") and w.count("'") == 1:
        stem = w[:-1]
        if stem.endswith("n") and stem + "'t" in CONTRACTIONS:
            return stem + "'t"  # don' -> don't, wouldn' -> wouldn't
        if stem.endswith("in") and len(stem) > 3 and known(stem + "g"):
            return stem + "g"  # blushin' -> blushing
        if known(stem) and (_common(stem) or stem.endswith("s")):
            return None  # "the lads'": a possessive, or a standard word before a closing mark
        return _first_common(_restorations(stem)) if len(stem) > 1 else None
    if "'" in w[1:-1] and w not in CONTRACTIONS:
        head, _, tail = w.partition("'")
        for cand in _restorations(head):
            if cand + "'" + tail in CONTRACTIONS:
                return cand + "'" + tail  # tha's -> that's, le's -> let's
        return None  # "Jack's", "dog's'
    if "'" not in w and w.endswith("in") and len(w) > 4 and w not in lexicon() and known(w + "g"):
        return w + "g"  # blushin (apostrophe left out)
    return None


def _restorations(stem: str) -> list[str]:
    out = [stem + "t", stem + "d"]
    if stem.endswith("a"):
        out.append(stem[:-1] + "er")  # matta -> matter, neva -> never
    out += [stem + "th", stem + "f", stem + "k", stem + "l"]
    return out


def _first_common(cands: list[str]) -> str | None:
    for c in cands:
        if _common(c):
            return c
    return None


def normalize_text(text: str, offset: int = 0) -> list[Normalization]:
    """Normalisations of every eye-dialect word in one line of speech; spans are shifted by ``offset``.

    >>> line = "Come with meh, Idzuru. I'z gonna take care of ya."
    >>> [(n.form, n.standard) for n in normalize_text(line)]
    [('meh', 'me'), ("I'z", "I'm"), ('gonna', 'going to'), ('ya', 'you')]
    """
    out: list[Normalization] = []
    for m in _WORD.finditer(text):
        form = m.group()
        s, e = m.start(), m.end()
        if form[0] in "'\u2019" and (s == 0 or form.lower().replace("\u2019", "'") not in DIALECT_WORDS):
            s, form = s + 1, form[1:]  # an opening quote mark, not an elision
        low = form.lower().replace("\u2019", "'")
        if "'" not in low and low not in DIALECT_WORDS and low not in ("uh", "iz") and not low.endswith("in"):
            continue  # a plain word: the common case, decided without the word list
        res: tuple[str, tuple[str, ...]] | None
        if low == "uh":
            nxt = _NEXT_WORD.match(text, e)
            res = ("a", ()) if nxt and _UH_ARTICLE.search(text[max(0, s - 30) : s]) else None
        elif low in ("i'z", "iz") and form[0] == "I":
            res = ("I'm", ("I am",)) if _IZ_AM.match(text, e) else ("I", ())
        else:
            res = normalize_word(form)
        if res is not None:
            out.append(Normalization(offset + s, offset + e, form=form, standard=res[0], alternatives=res[1]))
    return out


@stage("dialect", requires=("quotes",), assigns=("normalizations",))
def dialect(story: Story) -> Story:
    """Write the ``normalizations`` layer: eye-dialect words in speech and their standard forms."""
    out: list[Normalization] = []
    for q in story.layer("quotes"):
        if isinstance(q, Quote) and q.kind == "speech":
            out += normalize_text(story.span_text(q), q.start_char)
    return story.with_layer("normalizations", out, stage="dialect")


@dataclass(frozen=True, slots=True)
class CharacterVoice:
    """How one character speaks in one story: the report's voice profile.

    ``dialect_share`` is the share of their spoken words that are eye dialect; ``forms`` the
    dialect forms with their standard form and count, commonest first; ``signature`` the words
    they use most, relative to the other speakers.
    """

    character: str
    lines: int
    words: int
    dialect_share: float
    forms: tuple[tuple[str, str, int], ...]
    signature: tuple[str, ...]


_TOKEN = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
_FUNCTION = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being am it its i me my
    you your he him his she her we us our they them their this that these those there here what which who whom do
    does did not no so than then too very can could will would shall should may might must have has had just all
    any some one don't i'm it's that's""".split()
)


def character_voices(story: Story) -> dict[str, CharacterVoice]:
    """Each speaker's voice, from the speech attributed to them (empty before attribution).

    >>> character_voices(Story(text="x"))
    {}
    """
    lines: Counter[str] = Counter()
    words: dict[str, Counter[str]] = {}
    dialect_words: Counter[str] = Counter()
    forms: dict[str, Counter[tuple[str, str]]] = {}
    norms = list(story.layer("normalizations"))
    for q in story.layer("quotes"):
        if not isinstance(q, Quote) or q.kind != "speech" or not q.speaker:
            continue
        who = q.speaker
        lines[who] += 1
        bag = words.setdefault(who, Counter())
        bag.update(t.lower() for t in _TOKEN.findall(story.span_text(q)))
        for n in norms:
            if q.start_char <= n.start_char and n.end_char <= q.end_char and isinstance(n, Normalization):
                dialect_words[who] += 1
                forms.setdefault(who, Counter())[(n.form.lower(), n.standard.lower())] += 1
    total = Counter[str]()
    for bag in words.values():
        total.update(bag)
    out: dict[str, CharacterVoice] = {}
    for who, bag in words.items():
        n_words = sum(bag.values())
        others = sum(total.values()) - n_words

        def keyness(w: str, bag: Counter[str] = bag, n_words: int = n_words, others: int = others) -> float:
            mine = (bag[w] + 0.5) / (n_words + 1)
            theirs = (total[w] - bag[w] + 0.5) / (others + 1)
            return bag[w] * math.log(mine / theirs)

        cands = [w for w in bag if w not in _FUNCTION and len(w) > 2 and bag[w] >= 1]
        sig = tuple(sorted(cands, key=lambda w: (-keyness(w), w))[:6])
        fs = tuple((f, s, c) for (f, s), c in forms.get(who, Counter()).most_common())
        out[who] = CharacterVoice(
            character=who,
            lines=lines[who],
            words=n_words,
            dialect_share=dialect_words[who] / n_words if n_words else 0.0,
            forms=fs,
            signature=sig,
        )
    return out
