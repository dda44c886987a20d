"""From names to characters: titles, vocatives, nominals, pronouns and gender.

:func:`analyse_characters` runs the whole of the ``characters`` stage's reasoning on a story:

1. proper names (:mod:`~fabula.characters.detect`), bare titles used as names (``"Captain?"``),
   definite and possessive nominals (``the fox-like man``, ``his captain``, ``her father``) and
   third-person pronouns are found in the story's paragraphs;
2. names are clustered (:mod:`~fabula.characters.cluster`);
3. each cluster's pronoun is read from the evidence: titles (``Mr``, ``Lady``), given names,
   and the pronouns that follow its mentions in the narration; failing those, the census
   pronoun of a full name's given name (``Captain Isadora Vance``);
4. pronouns are resolved (same sentence: the latest compatible mention; earlier sentences: the
   first, the subject, a possessive last), a vocative inside a paragraph's speech never being
   the one its tag pronoun names; a he / she no character fits goes to the person described a
   few sentences before (``A man's voice ... He``), who becomes an unnamed character; a pronoun
   inside speech only to a name in the same speech;
5. a bare title goes to the one character it names in the story: the one who bears it with a
   name (``Captain Ichimaru``), or of whom the text says ``X was ... a captain``, else the
   character nearest its uses who is not its possessor (``his ... Lieutenant``) or its speaker;
6. a name used only as a vocative in speech (``Idzuru``: set off by punctuation or a word of
   address) joins the character those lines address (the one present who is not their
   speaker), unless both are full names (``Lord Warwick``, ``John Rolfe``);
7. definite nominals go to the latest named character of their gender not already in their
   sentence (nor, for a speech tag's ``said the gentleman``, named in the narration of that
   paragraph or the one before: the other party of an exchange); ``his captain`` to the
   story's captain; a definite description that recurs or is
   the subject of a speech verb with no such antecedent (``the stranger said``) becomes an
   unnamed character of its own, which later pronouns can name, as does an indefinite person
   who acts (``A tall man came in``); ``his wife`` and ``her mother`` go to the one married-titled
   relative sharing the possessor's family name (``Mrs. Bennet``); a description of someone new
   (``the strange woman``) or of no gender (``the servant``) joins no named character; the
   narrator's relatives (``my father``, ``my brother's wife``) are one unnamed character each;
   a plural description (``the men``) is ``they``;
8. a story whose narration says ``I`` (at least :data:`NARRATOR_MIN` times) has a narrator
   character holding those pronouns; a name used at least twice as a vocative addressed to the
   narrator (``Watson``) names it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from fabula.characters.cluster import MODIFIERS, NameClusters, NameForm, parse_form
from fabula.characters.detect import candidates, doc_stats, name_spans, places
from fabula.characters.tables import TABLES
from fabula.model import Alias, Character, Mention, Span, Story

_PRONOUNS: dict[str, tuple[str, str]] = {
    # word -> (pronoun set, role): role "subj", "obj", "poss" or "refl"
    "he": ("he", "subj"),
    "him": ("he", "obj"),
    "his": ("he", "poss"),
    "himself": ("he", "refl"),
    "she": ("she", "subj"),
    "her": ("she", "poss"),
    "hers": ("she", "poss"),
    "herself": ("she", "refl"),
    "they": ("they", "subj"),
    "them": ("they", "obj"),
    "their": ("they", "poss"),
    "theirs": ("they", "poss"),
    "themself": ("they", "refl"),
    "themselves": ("they", "refl"),
    "xe": ("xe", "subj"),
    "xem": ("xe", "obj"),
    "xyr": ("xe", "poss"),
    "xemself": ("xe", "refl"),
    "ze": ("ze", "subj"),
    "zir": ("ze", "poss"),
    "hir": ("ze", "poss"),
    "zirself": ("ze", "refl"),
}
# (the lookaheads on a first letter only let the regex engine skip ahead: they match nothing new)
_PRONOUN_RE = re.compile(
    r"(?=[hstxz])\b(?:h(?:e|im|is|imself|er|ers|erself|ir)|she|the(?:y|m|ir|irs|mselves|mself)|x(?:e|em|yr|emself)|z(?:e|ir|irself))\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"(?=[IMm])(?<![\w'’-])(?:I|[Mm]e|[Mm]y|[Mm]yself|[Mm]ine)(?![\w-])")
_PERSON_VERB_AFTER = re.compile(
    r",?\s+(?:said|asked|replied|answered|cried|called|shouted|whispered|muttered|murmured|exclaimed|added|"
    r"continued|began|went on|smiled|nodded|laughed|looked|turned|stood|sat|came|went|took|had|was|would|could)\b"
)
#: How far back a pronoun's antecedent may be: sentences, and paragraphs.
ANTECEDENT_SENTENCES = 20
ANTECEDENT_PARAGRAPHS = 6
#: How far back (paragraphs) a he / she in a speech tag looks when the exchange names no one.
DIALOGUE_PARAGRAPHS = 15
#: How many sentences back a pronoun no character fits looks for a person it introduces.
ORPHAN_SENTENCES = 6
#: A story whose narration says "I" at least this often has a narrator character.
NARRATOR_MIN = 3
_STOP = "the|a|an|of|for|in|on|to|and|or|but|with|at|by|from|his|her|their|my|your|our|its|was|is|as|that|this"
#: Person nouns beyond the shipped table (``fabula/data/names.json``, which the mention model
#: reads): occupations and roles that fiction's unnamed speakers go by (``the porter said``).
_MORE_PERSON_NOUNS: dict[str, str] = {
    **dict.fromkeys(
        "auctioneer porter clerk guide waiter driver cook gardener sailor lawyer minister preacher farmer "
        "shepherd hunter messenger innkeeper shopkeeper merchant pedlar peddler beggar prisoner gaoler jailer "
        "sheriff constable sergeant corporal trooper rider traveller traveler passenger conductor "
        "steward sentry sentinel scout herald physician surgeon judge magistrate secretary painter artist "
        "writer poet musician singer dancer actor".split(),
        "",
    ),
    **dict.fromkeys(
        "coachman footman butler clergyman vicar parson curate monk friar policeman postman fisherman "
        "huntsman watchman boatman ferryman valet groom bridegroom widower nephew grandson duke baron "
        "emperor wizard host".split(),
        "he",
    ),
    **dict.fromkeys(
        "waitress housekeeper governess nun duchess countess baroness empress witch matron spinster bride "
        "niece granddaughter stewardess hostess".split(),
        "she",
    ),
    **dict.fromkeys("boys girls children soldiers sailors gentlemen ladies fellows others".split(), "they"),
}
_PERSON_NOUNS: dict[str, str] = {**_MORE_PERSON_NOUNS, **TABLES.person_nouns}


def _trie_pattern(words: list[str]) -> str:
    """One regular expression matching any of ``words``, as a trie (about 4x faster to scan than
    an alternation of the words).

    >>> re.fullmatch(_trie_pattern(["man", "maid", "men"]), "maid") is not None
    True
    """
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return build(trie)


_NOUN_RE = re.compile(
    rf"(?=[{''.join(sorted({n[0] for n in _PERSON_NOUNS if n.isalpha()}))}])\b(?:"
    + _trie_pattern([n for n in _PERSON_NOUNS if n.isalpha()])
    + r")\b"
)
_DETERMINER_BEFORE = re.compile(
    r"(?<![\w'’-])(the|that|this|his|her|their|my|your|our|an?)\s+"
    rf"((?:(?!(?:{_STOP})\b)[\w'’-]+,?\s+){{0,3}})$",
    re.I,
)
_COPULA = re.compile(
    r"(?:['’]s)?\s+(?:was|is|had been|has been|became|remained)\s+(?:\w+\s+){0,2}?(?:a|the|his|her|their|my|our)\s+"
    r"(?:\w+\s+)?(\w+)"
)


_TAG_VERBS = (
    r"(?:said|asked|replied|answered|cried|called|returned|observed|continued|exclaimed|inquired|added|"
    r"remarked|shouted|whispered|muttered|murmured)"
)
_SPEECH_VERB_NEAR = re.compile(rf"\b{_TAG_VERBS}\s+$")
_SPEECH_VERB_AFTER = re.compile(rf",?\s+{_TAG_VERBS}\b")
#: Modifiers that introduce someone new: a nominal with one is not a named character's alias.
_NOVEL = re.compile(r"\b(?:strange|unknown|new|other|different|second|third|unfamiliar)\b")
_VOCATIVE_END = re.compile(r"\s*[,.!?;:…—–\"”’')]")
_VOCATIVE_BEFORE = re.compile(r"(?:[,“\"‘'(—–!?.;:…*_~-]|^|\b(?:[Dd]ear|[Oo]h?|[Aa]h))\s*$")
_TITLE_BEFORE = re.compile(r"\b(?:Mrs?|Ms|Dr|St|Mme|Mlle|Messrs)\.\s*$")
_ARTICLE = re.compile(r"(?:the|The)\s")
_CLAUSE_BREAK = re.compile(
    r"[;:—–()]|--|[.!?]\s|,\s*(?:and|but|or|while|whilst|as|when|though|although|because|if|for|so|that)\b"
)
_POSSESSED = re.compile(r"['’]s?\s+([a-z]+)(?:\s+([a-z]+))?")
_WORD_AFTER = re.compile(r"[ \t]+([a-z][a-z'’-]*)")
#: Words that follow an object ``her`` (``gave her the key``, ``told her so``), never a possessive one.
_NOT_AFTER_POSSESSIVE = frozenset(
    "the a an to and in into on onto at with for from by as that up down out off away back again so too "
    "very now then there here over about around round through across once if when while but or nor some "
    "any no this these those what how why where who whom which his my your their its our one all both each "
    "every more much well before after until till since because though although than not never ever always "
    "still just only even also quite yet be is was".split()
)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|to|from|into|at|through|toward|towards|across|visit|visited|visiting|reach|reached|left)\s+(?:the\s+)?$",
    re.I,
)
#: Person nouns that say nothing of a role: "she was a woman of sense" makes no one "the woman".
_GENERIC = frozenset(
    "man woman men women boy girl lad lass fellow child kid baby youth gentleman gentlewoman lady son daughter "
    "friend companion figure guest lover partner visitor stranger newcomer".split()
)
_APPOSED = re.compile(r",\s+(?:the|a|an)\s+(?:[a-z]+\s+){0,2}?([a-z]+)\s*[,.;]")
_APPOSITION = re.compile(r",\s*")
#: "the captain" with no modifier between article and title
_TITLE_NOUN = re.compile(r"[Tt]he\s+\w+")
_PLACE_PREP = re.compile(
    r"\b(?:on|in|at|into|onto|upon|below|under|beneath|above|near|beside|across|along|over|through|"
    r"toward|towards|up|down)\s+$",
    re.I,
)
#: Family nouns a possessive nominal may name (``his wife``, ``her mother``): a spouse or a
#: parent, who bears a married title (``Mrs.``, ``Sir``) beside the family name. Siblings and
#: children are left alone: nothing in a name tells them apart.
_RELATIVES: dict[str, str] = {
    "wife": "spouse",
    "husband": "spouse",
    "lady": "spouse",  # "said his lady": his wife, not the story's Lady Lucas
    "mother": "parent",
    "father": "parent",
}
_MARRIED = frozenset({"mrs", "lady", "madame", "madam", "mme", "mr", "sir", "lord", "monsieur", "mister"})
#: Spoken forms of ranks and titles, used alone as names (``Sarge``, ``Cap'n``).
_TITLE_FORMS: dict[str, str] = {
    "sarge": "sergeant",
    "cap'n": "captain",
    "capn": "captain",
    "skipper": "captain",
    "doc": "doctor",
    "dr": "doctor",
    "capt": "captain",
    "lt": "lieutenant",
    "col": "colonel",
    "gen": "general",
    "sgt": "sergeant",
    "rev": "reverend",
    "prof": "professor",
    "sensei": "sensei",
    "senpai": "senpai",
    "sempai": "senpai",
    "shishou": "shishou",
    "taichou": "taichou",
}
#: Relations of which the narrator (``my father``, ``our master``) has one: an unnamed character each.
_KIN = frozenset({"father", "mother", "uncle", "aunt", "brother", "sister", "grandfather", "grandmother", "master"})


@dataclass
class _M:
    """A mention while it is being resolved."""

    start: int
    end: int
    kind: str  # proper | title | nominal | pronoun
    cluster: int = -1  # index into clusters, -1 unresolved
    quote: int = -1  # index of the quote it lies in, -1 for narration
    para: int = -1
    sent: int = -1
    word: str = ""  # lower-case pronoun / title / person noun
    gender: str = ""  # pronoun set it implies
    role: str = ""  # pronoun role, or the determiner of a nominal
    name: int = -1  # index into the name clusterer's mentions (proper only)


@dataclass
class _Char:
    """A character while it is being built: its clusters' forms and evidence."""

    index: int
    forms: Counter[str] = field(default_factory=Counter)
    titles: set[str] = field(default_factory=set)
    display: str = ""
    gender: str = ""
    votes: Counter[str] = field(default_factory=Counter)
    census: str = ""  # the pronoun a full name's given name usually takes (a last resort)


class _Analysis:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.text = story.text
        paras: list[Span] = [*story.story_paragraphs()] or [Span(0, len(story.text))]
        self.paras: list[Span] = list(paras)
        self.para_starts = [p.start_char for p in self.paras]
        sents = [s for s in story.layer("sentences")] or self.paras
        self.sents: list[Span] = list(sents)
        self.sent_starts = [s.start_char for s in self.sents]
        quotes = list(story.layer("quotes"))
        self.quotes: list[Span] = quotes
        self.quote_starts = [q.start_char for q in quotes]
        #: does each paragraph hold speech (see :meth:`_para_speaks`)
        self._speaks = [self._holds_quote(p) for p in self.paras]
        self.mentions: list[_M] = []
        self.chars: list[_Char] = []
        self.title_owner: dict[str, int] = {}
        self.name_tokens: list[frozenset[str]] = []
        self._mention_starts: list[int] = []
        self.narrator = -1
        self.unnamed: dict[str, int] = {}
        self._intros: dict[int, int] = {}
        self._nominal_counts: Counter[str] = Counter()
        self._kin_chars: set[int] = set()
        self._vocatives: dict[int, set[int]] = {}
        #: unnamed characters whose description tells no gender ("the doctor", "the servant")
        self._genderless: set[int] = set()
        #: titles borne with a name by exactly one character (``Captain Orla Venn``)
        self._sole_bearer: dict[str, int] = {}
        self._first_named: dict[int, int] = {}
        #: person nouns the text gives exactly one named character (``Basil, the painter,``)
        self._described: dict[str, int] = {}
        self._described_at: dict[tuple[str, int], int] = {}

    # 1. finding mentions -------------------------------------------------------------
    def find(self) -> None:
        text = self.text
        cands = candidates(text)
        stats = doc_stats(text, cands)
        names = name_spans(text, cands, stats)
        taken: list[tuple[int, int]] = []
        for s, e in names:
            self._add(_M(s, e, "proper"))
            taken.append((s, e))
        starts = [s for s, _ in taken]

        def free(s: int, e: int) -> bool:
            i = bisect.bisect_right(starts, s) - 1
            if i >= 0 and taken[i][1] > s:
                return False
            return not (i + 1 < len(taken) and taken[i + 1][0] < e)

        for c in cands:
            if c.low in TABLES.titles and c.run_len == 1 and free(c.start, c.end) and self._bare_title(c.start, c.end):
                self._add(_M(c.start, c.end, "title", word=c.low))
        nominal_starts: set[int] = set()
        for m in _NOUN_RE.finditer(text):
            noun = m.group()
            lo = max(0, m.start() - 60)
            d = _DETERMINER_BEFORE.search(text, lo, m.start())
            if d is None or not noun.islower():
                continue
            s, e = d.start(), m.end()
            role = d.group(1).lower()
            gender = _nominal_gender(noun, d.group(2))
            if role in ("a", "an") and gender not in ("he", "she"):
                continue  # an indefinite is a mention only when it may bring someone in ("a man came")
            if free(s, e):
                nominal_starts.add(s)
                self._add(_M(s, e, "nominal", word=noun, gender=gender, role=role))
        for m in _PRONOUN_RE.finditer(text):
            s, e = m.span()
            if s not in nominal_starts and free(s, e):
                w = m.group().lower()
                g, role = _PRONOUNS[w]
                self._add(_M(s, e, "pronoun", word=w, gender=g, role=role))
        for m in _FIRST_PERSON.finditer(text):
            s, e = m.span()
            if free(s, e):
                self._add(_M(s, e, "pronoun", word=m.group().lower(), gender="i", role="first"))
        self._locate()
        self.mentions = [m for m in self.mentions if m.para >= 0 and (m.gender != "i" or m.quote < 0)]
        self._nominal_counts = Counter(
            _nominal_key(text[m.start : m.end])
            for m in self.mentions
            if m.kind == "nominal" and m.role == "the" and m.quote < 0
        )
        self.mentions.sort(key=lambda m: m.start)
        self._mention_starts = [m.start for m in self.mentions]

    def _bare_title(self, s: int, e: int) -> bool:
        """A capitalised title standing alone as a name: mid-sentence, or followed by punctuation."""
        text = self.text
        nxt = text[e : e + 1]
        if nxt and nxt in ",.?!…—-;:\"”’'~":
            return True
        j = s - 1
        while j >= 0 and text[j] in " \t\"“‘'(*_~":
            j -= 1
        return j >= 0 and text[j] not in ".!?\n"

    def _add(self, m: _M) -> None:
        self.mentions.append(m)

    def _locate(self) -> None:
        """Give every mention its paragraph, sentence and quote: one sweep in text order."""
        self.mentions.sort(key=lambda m: m.start)
        paras, sents, quotes = self.paras, self.sents, self.quotes
        p = s = q = 0
        for m in self.mentions:
            x = m.start
            while p < len(paras) and paras[p].end_char <= x:
                p += 1
            m.para = p if p < len(paras) and paras[p].start_char <= x else -1
            while s + 1 < len(sents) and sents[s + 1].start_char <= x:
                s += 1
            m.sent = s
            while q < len(quotes) and quotes[q].end_char <= x:
                q += 1
            m.quote = q if q < len(quotes) and quotes[q].start_char <= x else -1

    # 2. clustering names ------------------------------------------------------------------
    def cluster(self) -> None:
        # "the Old Stairs" read as "the Old": a modifier alone is nobody's name
        self.mentions = [m for m in self.mentions if m.kind != "proper" or not self._modifier_only(m)]
        self._mention_starts = [m.start for m in self.mentions]
        proper = [m for m in self.mentions if m.kind == "proper"]
        nc = NameClusters([self.text[m.start : m.end] for m in proper], [m.start for m in proper])
        self.chars = []
        for c in nc.clusters:
            self.chars.append(_Char(c.index, titles=set(c.titles), display=c.display, gender=c.gender, census=c.census))
        self.name_tokens = [frozenset(c.tokens) for c in nc.clusters]
        for k, m in enumerate(proper):
            m.cluster = nc.assignment[k]
            m.name = k
            self.chars[m.cluster].forms[nc.forms[k].surface] += 1
        self._drop_things(proper)
        self._honorific_titles(proper, nc.forms)
        bearers: dict[str, set[int]] = defaultdict(set)
        for ch in self.chars:
            for t in ch.titles:
                bearers[_TITLE_FORMS.get(t, t)].add(ch.index)
        self._sole_bearer = {t: next(iter(cs)) for t, cs in bearers.items() if len(cs) == 1}
        for m in proper:
            self._first_named.setdefault(m.cluster, m.start)
        self._spoken_titles(proper, nc.forms)
        for ch in self.chars:
            if not ch.display:
                ch.display = ch.forms.most_common(1)[0][0] if ch.forms else ""
        for ch in self.chars:
            for t in ch.titles:
                self.title_owner.setdefault(t, ch.index)
        self._find_descriptions()
        first = [m for m in self.mentions if m.gender == "i"]
        if len(first) >= NARRATOR_MIN:
            self.narrator = len(self.chars)
            self.chars.append(_Char(self.narrator, display="the narrator"))
            for m in first:
                m.cluster = self.narrator
        else:
            self.mentions = [m for m in self.mentions if m.gender != "i"]
            self._mention_starts = [m.start for m in self.mentions]

    def _find_descriptions(self) -> None:
        """``Basil Hallward, the painter,`` / ``Basil was a painter``: the one character the text
        describes with a person noun owns ``the painter`` (kept only when one character is)."""
        owners: dict[str, set[int]] = defaultdict(set)
        for m in self.mentions:
            if m.kind != "proper" or m.cluster < 0 or m.quote >= 0:
                continue
            end = min(len(self.text), m.end + 80)
            d = _APPOSED.match(self.text, m.end, end) or _COPULA.match(self.text, m.end, end)
            if d is not None:
                noun = d.group(1).lower()
                if noun in _PERSON_NOUNS and noun not in _GENERIC and noun not in _KIN and noun not in _RELATIVES:
                    owners[noun].add(m.cluster)
                    self._described_at.setdefault((noun, m.cluster), m.start)
        self._described = {n: next(iter(cs)) for n, cs in owners.items() if len(cs) == 1}

    def _honorific_titles(self, proper: list[_M], forms: list[NameForm]) -> None:
        """A role honorific makes its bearer the holder of that title: ``Okabe-sensei`` is the one
        called ``Sensei``."""
        for m in proper:
            hon = forms[m.name].honorific if m.name >= 0 else ""
            if hon in TABLES.titles and m.cluster >= 0:
                self.chars[m.cluster].titles.add(hon)

    def _spoken_titles(self, proper: list[_M], forms: list[NameForm]) -> None:
        """A name that is only a rank or a spoken form of one (``Sensei``, ``Sarge``, ``Cap'n``) is
        the one character who bears that title with a name (``Sergeant Pell``), when one does."""
        for m in proper:
            form = forms[m.name]
            if form.titles or len(form.names) != 1:
                continue
            word = _TITLE_FORMS.get(form.names[0].replace("’", "'"), "")
            owner = self._sole_bearer.get(word, -1)
            if owner < 0 or owner == m.cluster:
                continue
            self.chars[m.cluster].forms[form.surface] -= 1
            m.kind, m.word, m.cluster = "title", word, owner
        for ch in self.chars:
            ch.forms = +ch.forms

    def _modifier_only(self, m: _M) -> bool:
        form = parse_form(self.text[m.start : m.end])
        return not form.titles and bool(form.names) and set(form.names) <= MODIFIERS

    def _drop_things(self, proper: list[_M]) -> None:
        """Drop name clusters that are places: two or more words always written with an article,
        once after a preposition of place (``on the Old Stairs``), never with a title (``the
        Countess``). A people or family (``near the Martians``, ``the Crofts``) is one word.
        """
        article: Counter[int] = Counter()
        total: Counter[int] = Counter()
        placed: set[int] = set()
        text = self.text
        for m in proper:
            total[m.cluster] += 1
            words = text[m.start : m.end].lower().replace(".", " ").split()
            if _ARTICLE.match(text, m.start) and len(words) > 2 and not any(w in TABLES.titles for w in words):
                article[m.cluster] += 1
                if _PLACE_PREP.search(text, max(0, m.start - 12), m.start):
                    placed.add(m.cluster)
        things = {c for c, n in article.items() if n == total[c] and c in placed}
        if things:
            self.mentions = [m for m in self.mentions if m.kind != "proper" or m.cluster not in things]
            self._mention_starts = [m.start for m in self.mentions]

    # 3. gender evidence -----------------------------------------------------------------
    def gender(self) -> None:
        ms = self.mentions
        for i, m in enumerate(ms):
            if m.kind != "proper" or m.quote >= 0 or self._owns_person(m):
                continue  # "Winnie's mother was stout. She wore a wig": the mother's pronoun
            blocked: set[str] = set()
            for j in range(i + 1, min(len(ms), i + 12)):
                n = ms[j]
                if n.para > m.para + 1 or n.start - m.end > 600:
                    break
                if n.para > m.para and (self._para_speaks(m.para) or self._para_speaks(n.para)):
                    break  # 'Finn said. / "..." She leaned closer': in dialogue, the next one is the other party
                if n.quote >= 0:
                    continue
                if n.kind == "nominal" and n.role in ("his", "her"):
                    if n.role == "his" or self._own_clause(m, n):
                        self.chars[m.cluster].votes["he" if n.role == "his" else "she"] += 1
                    break  # "Aiko laughed at her brother. He ...": the brother is "he"
                if (n.kind in ("proper", "title") and n.cluster != m.cluster) or (
                    n.kind == "nominal" and n.role in ("a", "an")
                ):
                    break  # another person comes between the name and the pronoun
                if n.kind != "pronoun":
                    continue
                if n.word == "i":
                    break  # "Halsey ... I had not thought ... she": the narrator's clause
                if n.word in ("him", "her") and not self._possessive(n):
                    blocked.add(n.gender)  # "Aiko handed him the cup. He ...": another "he" is there
                    continue
                if n.gender in blocked:
                    break
                if n.role == "poss" and n.word in ("his", "her"):
                    # "Aiko shook her head"; a possessive may be another's ("kissed her hand"): half a vote
                    if n.word == "his" or self._own_clause(m, n):
                        self.chars[m.cluster].votes[n.gender] += 1
                    break
                if n.role == "subj" or n.word in ("himself", "herself"):
                    if n.gender != "they":
                        self.chars[m.cluster].votes[n.gender] += 2
                    break
        known = []
        for ch in self.chars:
            if not ch.gender and ch.votes:
                ch.gender = ch.votes.most_common(1)[0][0]
            if not ch.gender and ch.census:
                ch.gender = ch.census  # "Captain Isadora Vance" and no pronoun right after her name
            if ch.gender:
                known.append(ch.gender)
        self._drop_places()
        # A story whose evidenced characters all take one pronoun lends it to those with none.
        if len(known) >= 2 and len(set(known)) == 1:
            for ch in self.chars:
                if not ch.gender:
                    ch.gender = known[0]

    def _owns_person(self, m: _M) -> bool:
        """Is this name the possessor of a person (``Winnie's mother``, ``Tom's old friend``)?"""
        after = _POSSESSED.match(self.text, m.end)
        return after is not None and (after.group(1) in _PERSON_NOUNS or after.group(2) in _PERSON_NOUNS)

    def _own_clause(self, name: _M, m: _M) -> bool:
        """Does ``m`` follow ``name`` in its own clause: no semicolon, dash, sentence end or ``, and``
        between (``Aiko shook her head``, not ``Tom was given to embracing, and a kiss on her
        forehead``)?"""
        return _CLAUSE_BREAK.search(self.text, name.end, m.start) is None

    def _possessive(self, m: _M) -> bool:
        """Is this ``her`` possessive (``her coat``, ``her own``) rather than an object (``told her
        so``, ``gave her the key``, ``saw her.``)? ``his`` always is, ``him`` never.

        The word after it decides: a lower-case word that is no function word."""
        if m.word != "her":
            return m.word == "his"
        after = _WORD_AFTER.match(self.text, m.end)
        return after is not None and after.group(1).lower() not in _NOT_AFTER_POSSESSIVE

    def _drop_places(self) -> None:
        """Drop name clusters that are places: no title and no pronoun of their own, and either every
        form a known country, state or region (``New York``, ``Ohio``) or most uses after a
        preposition or verb of place (``to Ruritania``, ``visit Ruritania``)."""
        uses: dict[int, list[_M]] = defaultdict(list)
        for m in self.mentions:
            if m.kind == "proper" and m.cluster >= 0:
                uses[m.cluster].append(m)
        drop: set[int] = set()
        for c, ms in uses.items():
            ch = self.chars[c]
            if ch.gender or ch.titles or not ch.forms:
                continue
            placed = sum(1 for m in ms if _PLACE_BEFORE.search(self.text, max(0, m.start - 16), m.start))
            if looks_like_place(list(ch.forms), placed, len(ms)):
                drop.add(c)
        if drop:
            self.mentions = [m for m in self.mentions if m.kind != "proper" or m.cluster not in drop]
            self._mention_starts = [m.start for m in self.mentions]
            for c in drop:
                self.chars[c].forms.clear()

    # 4. pronouns ---------------------------------------------------------------------------
    def resolve_pronouns(self) -> None:
        ms = self.mentions
        by_sent: dict[int, list[int]] = defaultdict(list)
        vocatives = self._vocatives_by_para()
        self._vocatives = vocatives
        in_quote: dict[int, list[int]] = defaultdict(list)  # named mentions earlier in each quote
        for i, m in enumerate(ms):
            if m.gender == "i":
                continue  # the narrator: never an antecedent of he / she
            if m.kind == "pronoun" and m.quote >= 0 and m.gender in ("he", "she"):
                # "old Pontifex ... he would have done": the speech's own names only
                m.cluster = next(
                    (ms[j].cluster for j in reversed(in_quote[m.quote]) if self._fits(ms[j].cluster, m.gender)), -1
                )
                continue  # else unresolved: the narration's people are not the speech's
            if m.kind == "pronoun":
                # someone of the pronoun's gender, else a person described just before, else a
                # description of no gender ("the doctor")
                m.cluster = self._antecedent_in(i, by_sent, vocatives, m, self._genderless)
                if m.cluster < 0 and m.quote < 0 and m.gender in ("he", "she"):
                    m.cluster = self._orphan(i, by_sent)
                if m.cluster < 0:
                    m.cluster = self._antecedent_in(i, by_sent, vocatives, m, set())
                if m.cluster < 0 and m.quote < 0 and m.gender in ("he", "she") and self._tags_quote(m):
                    m.cluster = self._in_dialogue(i)
            elif m.kind == "nominal" and m.quote < 0:
                m.cluster = self._nominal(i, by_sent)
            if m.quote < 0 and m.cluster >= 0:
                by_sent[m.sent].append(i)
            elif m.quote >= 0 and m.cluster >= 0 and m.kind in ("proper", "title") and not self._set_off(m):
                in_quote[m.quote].append(i)  # a vocative is the one spoken to, not spoken of

    def _vocatives_by_para(self) -> dict[int, set[int]]:
        out: dict[int, set[int]] = defaultdict(set)
        for m in self.mentions:
            if m.quote >= 0 and m.cluster >= 0 and m.kind in ("proper", "title"):
                out[m.para].add(m.cluster)
        return out

    def _fits(self, cluster: int, gender: str) -> bool:
        g = self.chars[cluster].gender
        if gender == "they":
            return g == "they"
        return not g or g == gender

    def _antecedent(
        self, i: int, by_sent: dict[int, list[int]], vocatives: dict[int, set[int]], m: _M | None = None
    ) -> int:
        """The antecedent of pronoun ``i`` (or of ``m``); a description of no gender (``the
        doctor``) only when no one of the pronoun's gender is in reach."""
        m = m or self.mentions[i]
        c = self._antecedent_in(i, by_sent, vocatives, m, self._genderless)
        return c if c >= 0 or not self._genderless else self._antecedent_in(i, by_sent, vocatives, m, set())

    def _antecedent_in(
        self, i: int, by_sent: dict[int, list[int]], vocatives: dict[int, set[int]], m: _M, skip: set[int]
    ) -> int:
        exclude: set[int] = set(skip)
        if m.quote < 0 and self._speaks[m.para]:
            exclude |= vocatives.get(m.para, set())
        mentions, fits, gender = self.mentions, self._fits, m.gender
        same = by_sent.get(m.sent, [])
        if m.role == "obj" and same and not self._subject_between(same[0], i):
            exclude = exclude | {mentions[same[0]].cluster}  # "Tom saw him": not Tom
        for j in reversed(same):
            c = mentions[j].cluster
            if c not in exclude and fits(c, gender):
                return c
        s = m.sent - 1
        lo = max(0, m.sent - ANTECEDENT_SENTENCES)
        floor = self.paras[max(0, m.para - ANTECEDENT_PARAGRAPHS)].start_char
        sents = self.sents
        while s >= lo:
            if sents[s].end_char < floor:
                break
            # the sentence's first mention, a possessive ("his hat") only when nothing else fits
            poss = -1
            for j in by_sent.get(s, ()):
                n = mentions[j]
                if n.cluster not in exclude and fits(n.cluster, gender):
                    if n.role != "poss":
                        return n.cluster
                    if poss < 0:
                        poss = n.cluster
            if poss >= 0:
                return poss
            s -= 1
        return -1

    def _in_dialogue(self, i: int) -> int:
        """``"...," replied he`` deep in an exchange whose narration names no one: the latest person
        of the pronoun's gender named in the narration or called by name in the speech before it
        (``"My dear Mr. Bennet," ...``), up to :data:`DIALOGUE_PARAGRAPHS` paragraphs back."""
        m = self.mentions[i]
        for j in range(i - 1, -1, -1):
            n = self.mentions[j]
            if n.para < m.para - DIALOGUE_PARAGRAPHS:
                break
            if n.cluster < 0 or n.cluster in self._genderless or self.chars[n.cluster].gender != m.gender:
                continue
            if n.quote < 0 or (n.para < m.para and n.kind in ("proper", "title") and self._set_off(n)):
                return n.cluster
        return -1

    def _subject_between(self, j: int, i: int) -> bool:
        """Does a subject pronoun (``I``, ``she``) come between mentions ``j`` and ``i``: a new clause
        (``Mr Pontifex was a carpenter; when I remember him``), whose object may be the first one?"""
        return any(n.kind == "pronoun" and (n.role == "subj" or n.word == "i") for n in self.mentions[j + 1 : i])

    def _orphan(self, i: int, by_sent: dict[int, list[int]]) -> int:
        """``A man's voice made her turn. He ...``: a pronoun no named character fits goes to the
        latest unresolved person nominal of its gender a few sentences back (``a man``, ``the
        stranger``), which becomes an unnamed character that later pronouns can name."""
        m = self.mentions[i]
        floor = self.paras[max(0, m.para - 2)].start_char
        for j in range(i - 1, -1, -1):
            n = self.mentions[j]
            if n.start < floor or n.sent < m.sent - ORPHAN_SENTENCES:
                break
            if n.kind != "nominal" or n.cluster >= 0 or n.quote >= 0 or n.gender != m.gender:
                continue
            if n.role not in ("a", "an", "the"):
                continue
            c = len(self.chars)
            key = f"the {n.word}"
            self.chars.append(_Char(c, display=key, gender=n.gender))
            self.unnamed[key] = c
            if n.role != "the":
                self._intros[n.start] = c
            n.cluster = c
            bisect.insort(by_sent[n.sent], j)
            return c
        return -1

    def _tags_quote(self, m: _M) -> bool:
        """Is this narration mention in a paragraph with speech (a tag or beat)?"""
        return self._para_speaks(m.para)

    def _para_speaks(self, para: int) -> bool:
        """Does paragraph ``para`` hold speech?"""
        return self._speaks[para]

    def _holds_quote(self, p: Span) -> bool:
        k = bisect.bisect_left(self.quote_starts, p.start_char)
        return k < len(self.quotes) and self.quotes[k].start_char < p.end_char

    def _nominal(self, i: int, by_sent: dict[int, list[int]]) -> int:
        m = self.mentions[i]
        if m.role in ("his", "her", "their", "my", "your", "our"):
            if m.word in _RELATIVES:
                return self._relative(i, by_sent)
            if m.role in ("my", "our") and m.word in _KIN and m.word not in self.title_owner:
                return self._kin(m, f"{m.role} {m.word}")
            return self.title_owner.get(m.word, -1)
        if m.role in ("a", "an"):
            return self._introduced(m)
        if m.role != "the":
            return -1
        named = self._apposition(i)
        if named >= 0:
            return named  # "the captain, Orla Venn, ..."
        owner = self._described.get(m.word, -1)
        if (
            owner >= 0
            and self._described_at[(m.word, owner)] < m.start
            and _TITLE_NOUN.fullmatch(self.text, m.start, m.end)
        ):
            return owner  # "Basil Hallward, the painter, ..." then "the painter"
        bearer = self._sole_bearer.get(m.word, -1)
        if (
            bearer >= 0
            and not TABLES.titles.get(m.word, "x")
            and self._first_named.get(bearer, len(self.text)) < m.start
            and _TITLE_NOUN.fullmatch(self.text, m.start, m.end)
        ):
            return bearer  # "the captain": the one called Captain by name before
        called = self._called_just_before(m)
        if called >= 0:
            return called  # "'Hulloa, Emma!' he said. The nurse bent down ..."
        key = _nominal_key(self.text[m.start : m.end])
        if key in self.unnamed:
            return self.unnamed[key]
        here = {self.mentions[j].cluster for j in by_sent.get(m.sent, []) if self.mentions[j].kind != "pronoun"}
        if _SPEECH_VERB_NEAR.search(self.text, max(0, m.start - 12), m.start) or _SPEECH_VERB_AFTER.match(
            self.text, m.end
        ):
            here |= self._named_nearby(m)  # "said Dick. ... said the gentleman": the other party
        novel = _NOVEL.search(key) is not None  # "the strange woman": someone not met before
        for s in range(m.sent - 1, max(-1, m.sent - 5) if not novel else m.sent - 1, -1):
            for j in reversed(by_sent.get(s, [])):
                n = self.mentions[j]
                if (
                    n.kind in ("proper", "title")
                    and n.cluster not in here
                    and m.gender
                    and self._fits(n.cluster, m.gender)
                ):
                    return n.cluster
        if self._nominal_counts[key] >= 2 or _PERSON_VERB_AFTER.match(self.text, m.end):
            # "the stranger said": an unnamed character of its own, whom later pronouns can name
            c = len(self.chars)
            self.chars.append(_Char(c, display=key, gender=m.gender if m.gender in ("he", "she", "they") else ""))
            self.unnamed[key] = c
            if not self.chars[c].gender:
                self._genderless.add(c)
            return c
        return -1

    def _apposition(self, i: int) -> int:
        """``the captain, Orla Venn,``: a description set beside a name names that character."""
        m = self.mentions[i]
        if i + 1 >= len(self.mentions):
            return -1
        n = self.mentions[i + 1]
        if n.kind != "proper" or n.cluster < 0 or not _APPOSITION.fullmatch(self.text, m.end, n.start):
            return -1
        return n.cluster if _VOCATIVE_END.match(self.text, n.end) else -1

    def _named_nearby(self, m: _M) -> set[int]:
        """Characters named in the narration of ``m``'s paragraph or the one before: in an exchange,
        a description in a speech tag (``said the gentleman``) is rarely the one just named."""
        lo = self.paras[max(0, m.para - 1)].start_char
        k = bisect.bisect_left(self._mention_starts, lo)
        out: set[int] = set()
        while k < len(self.mentions) and self.mentions[k].start < m.start:
            n = self.mentions[k]
            if n.kind == "proper" and n.quote < 0 and n.cluster >= 0:
                out.add(n.cluster)
            k += 1
        return out

    def _relative(self, i: int, by_sent: dict[int, list[int]]) -> int:
        """``his wife``, ``her mother``: the one named character of the possessor's family it fits.

        The possessor is resolved like a pronoun; the relative must share a name word with it
        (``Mrs. Bennet`` for Mr. Bennet's wife), take the noun's pronoun, bear a married title
        (as must a spouse's possessor), and be the only such character.
        """
        m = self.mentions[i]
        rel = _RELATIVES.get(m.word)
        if rel is not None and m.role in ("my", "our"):
            return self._kin(m, f"{m.role} {m.word}")
        owner_gender = {"his": "he", "her": "she", "their": "they"}.get(m.role, "")
        if rel is None or not owner_gender:
            return -1
        probe = _M(
            m.start,
            m.start + len(m.role),
            "pronoun",
            quote=m.quote,
            para=m.para,
            sent=m.sent,
            word=m.role,
            gender=owner_gender,
            role="poss",
        )
        owner = self._spoken_to(m, owner_gender)
        if owner < 0:
            owner = self._antecedent(i, by_sent, {}, probe)
        if owner < 0 or owner >= len(self.name_tokens):
            return -1
        if rel == "spouse" and self.chars[owner].titles.isdisjoint(_MARRIED):
            return -1  # "her husband" of a Miss, or of one never titled: nothing says whose
        family = self.name_tokens[owner]
        found = [
            k
            for k, toks in enumerate(self.name_tokens)
            if k != owner
            and not toks.isdisjoint(family)
            and self.chars[k].gender == m.gender
            and not self.chars[k].titles.isdisjoint(_MARRIED)
        ]
        return found[0] if len(found) == 1 else -1

    def _spoken_to(self, m: _M, gender: str) -> int:
        """``"My dear Mr. Bennet," said his lady``: in a speech tag, the possessor of a relative is
        the one the speech calls by name, when it calls exactly one named person of that gender."""
        if not self._tags_quote(m):
            return -1
        if not self._vocatives.get(m.para):
            return -1
        p = self.paras[m.para]
        named: set[int] = set()
        k = bisect.bisect_left(self._mention_starts, p.start_char)
        while k < len(self.mentions) and self.mentions[k].start < p.end_char:
            n = self.mentions[k]
            k += 1
            if n.quote < 0 or n.cluster < 0 or n.kind not in ("proper", "title") or not self._set_off(n):
                continue
            if n.cluster < len(self.name_tokens) and self.chars[n.cluster].gender == gender:
                named.add(n.cluster)
        return named.pop() if len(named) == 1 else -1

    def _called_just_before(self, m: _M) -> int:
        """``"Hulloa, Emma!" he said. The nurse bent down``: a role noun in the narration right after
        speech that calls one person of its gender by name (its paragraph or the one before), with
        no one of that gender named in the narration between, is that person."""
        if m.gender not in ("he", "she", "") or m.word in _GENERIC or m.word in _KIN or m.word in _RELATIVES:
            return -1
        lo = self.paras[max(0, m.para - 1)].start_char
        k = bisect.bisect_left(self._mention_starts, lo)
        found: set[int] = set()
        while k < len(self.mentions) and self.mentions[k].start < m.start:
            n = self.mentions[k]
            k += 1
            c = n.cluster
            if n.kind not in ("proper", "title") or not 0 <= c < len(self.name_tokens):
                continue
            if self.chars[c].gender != m.gender and (m.gender or self.chars[c].gender not in ("he", "she")):
                continue
            if n.quote < 0:
                found.clear()  # named in the narration since: the speech's name is no longer the latest
                continue
            if self._set_off(n):
                found.add(c)
        return found.pop() if len(found) == 1 else -1

    def _kin(self, m: _M, key: str) -> int:
        """``my father``, ``our master``: the narrator has one of each, an unnamed character that
        later pronouns can name; ``my brother's wife`` is one more (and not ``my brother``). Not done for
        ``his mother`` / ``her father``: such relatives are mostly mentioned in passing, and as
        characters they competed with the people present (bench/RESULTS.md)."""
        surface = self.text[m.start : m.end]
        if m.gender not in ("he", "she"):
            return -1
        if "'s" in surface or "’s" in surface:
            if m.word not in _RELATIVES:
                return -1
            key = " ".join(surface.lower().replace("’", "'").split())  # "my brother's wife": one woman
        c = self.unnamed.get(key, -1)
        if c < 0:
            c = len(self.chars)
            self.chars.append(_Char(c, display=" ".join(surface.lower().split()), gender=m.gender))
            self.unnamed[key] = c
            self._kin_chars.add(c)
        return c

    def _introduced(self, m: _M) -> int:
        """``A man came in``: an indefinite person acting in the narration is someone new, an
        unnamed character whom later pronouns and ``the man`` can name."""
        if m.start in self._intros:
            return self._intros[m.start]
        if m.gender not in ("he", "she") or not _PERSON_VERB_AFTER.match(self.text, m.end):
            return -1
        c = len(self.chars)
        key = f"the {m.word}"
        self.chars.append(_Char(c, display=key, gender=m.gender))
        self.unnamed[key] = c
        self._intros[m.start] = c
        return c

    # 5. bare titles ------------------------------------------------------------------
    def resolve_titles(self) -> None:
        ms = self.mentions
        votes: dict[str, Counter[int]] = defaultdict(Counter)
        strong: dict[str, Counter[int]] = defaultdict(Counter)
        for t, owner in self.title_owner.items():
            strong[t][owner] += 3
        for m in ms:
            if m.kind == "proper" and m.quote < 0:
                c = _COPULA.match(self.text, m.end, min(len(self.text), m.end + 80))
                if c and c.group(1).lower() in TABLES.titles:
                    strong[c.group(1).lower()][m.cluster] += 2
        for i, m in enumerate(ms):
            if m.kind != "title" or m.word in strong:
                continue
            exclude = self._possessor(i) | self._speaker_guess(m)
            best, dist = -1, 10**9
            for j in range(max(0, i - 30), min(len(ms), i + 30)):
                n = ms[j]
                if n.para != m.para or n.kind != "proper" or n.cluster in exclude:
                    continue
                if any(t != m.word for t in self.chars[n.cluster].titles):
                    continue
                d = abs(n.start - m.start)
                if d < dist:
                    best, dist = n.cluster, d
            if best >= 0:
                votes[m.word][best] += 1
        for t in set(strong) | set(votes):
            cnt = strong.get(t) or votes.get(t)
            if cnt:
                self.title_owner[t] = cnt.most_common(1)[0][0]
        for m in ms:
            if m.kind == "title":
                m.cluster = self.title_owner.get(m.word, -1)
                if m.cluster >= 0:
                    self.chars[m.cluster].titles.add(m.word)

    def _possessor(self, i: int) -> set[int]:
        """The character of a possessive pronoun up to four words before mention ``i``."""
        m = self.mentions[i]
        for j in range(i - 1, max(-1, i - 4), -1):
            n = self.mentions[j]
            if m.start - n.end > 40:
                break
            if n.kind == "pronoun" and n.role == "poss" and n.cluster >= 0:
                return {n.cluster}
        return set()

    def _speaker_guess(self, m: _M) -> set[int]:
        """For a mention inside speech: the character of the first narration mention of its paragraph."""
        if m.quote < 0:
            return set()
        p = self.paras[m.para]
        k = bisect.bisect_left(self._mention_starts, p.start_char)
        while k < len(self.mentions) and self.mentions[k].start < p.end_char:
            n = self.mentions[k]
            if n.quote < 0 and n.cluster >= 0 and n.kind in ("proper", "title", "pronoun"):
                return {n.cluster}
            k += 1
        return set()

    # 6. vocative-only names -----------------------------------------------------------
    def join_vocatives(self) -> None:
        ms = self.mentions
        by_cluster: dict[int, list[int]] = defaultdict(list)
        for i, m in enumerate(ms):
            if m.kind == "proper":
                by_cluster[m.cluster].append(i)
        merged: dict[int, int] = {}
        strength: dict[int, int] = {}
        for c, idx in by_cluster.items():
            if any(ms[i].quote < 0 for i in idx) or not any(self._set_off(ms[i]) for i in idx):
                continue  # named in narration, or never called out ("the Old Stairs haven't been lit")
            if c < len(self.name_tokens) and not self.name_tokens[c]:
                continue  # a title alone ("Signora!") is said to whoever bears it, not a name
            votes: Counter[int] = Counter()
            replies: Counter[int] = Counter()
            for i in idx:
                speaker = self._speaker_guess(ms[i])
                if not speaker:
                    continue
                for j in range(i - 1, max(-1, i - 60), -1):
                    n = ms[j]
                    if n.quote >= 0 or n.cluster < 0 or n.cluster == c or n.cluster in speaker:
                        continue
                    if n.para < ms[i].para - 3:
                        break
                    if n.kind in ("proper", "pronoun"):
                        votes[n.cluster] += 1
                        break
                reply = self._reply_guess(ms[i]) if speaker else -1
                if reply >= 0 and reply != c and reply not in speaker and reply != self.narrator:
                    replies[reply] += 1
            if len(replies) == 1 and set(votes) <= {next(iter(replies)), self.narrator}:
                target = next(iter(replies))  # "Am I right, Jack?" / "That's my principle," said my uncle.
                votes = Counter({target: votes[target] + replies[target]})
            if len(votes) == 1:
                target = next(iter(votes))
                if target == self.narrator and (votes[target] < 2 or self._full_name(c)):
                    continue  # "Jack" said once near the narrator's "me" is as likely someone else's name
                if self._full_name(c) and target < len(self.name_tokens) and self._full_name(target):
                    continue  # "my Lord Warwick" is not John Rolfe: two full names are two people
                if (
                    not self.chars[c].gender
                    or not self.chars[target].gender
                    or self.chars[c].gender == self.chars[target].gender
                ):
                    merged[c] = target
                    strength[c] = votes[target]
        # the narrator answers to one name ("Pippa"), not to everyone addressed near "I"
        best: dict[int, int] = {}
        for c, target in merged.items():
            if target == self.narrator and (target not in best or strength[c] > strength[best[target]]):
                best[target] = c
        merged = {c: t for c, t in merged.items() if t != self.narrator or best.get(t) == c}
        if not merged:
            return
        for m in ms:
            if m.cluster in merged:
                m.cluster = merged[m.cluster]
        for c, target in merged.items():
            self.chars[target].forms.update(self.chars[c].forms)
            self.chars[c].forms.clear()
        for t, owner in list(self.title_owner.items()):
            self.title_owner[t] = merged.get(owner, owner)

    def _reply_guess(self, m: _M) -> int:
        """Who answers a line: the first character named or meant in the narration of the next
        paragraph, when that paragraph opens with speech (``"That's so," said my uncle.``)."""
        if m.quote < 0 or m.para + 1 >= len(self.paras):
            return -1
        p = self.paras[m.para + 1]
        k = bisect.bisect_left(self.quote_starts, p.start_char)
        if k >= len(self.quotes) or self.quotes[k].start_char > p.start_char + 3:
            return -1
        k = bisect.bisect_left(self._mention_starts, p.start_char)
        while k < len(self.mentions) and self.mentions[k].start < p.end_char:
            n = self.mentions[k]
            if n.quote < 0 and n.cluster >= 0 and n.kind in ("proper", "title", "pronoun", "nominal"):
                return n.cluster
            k += 1
        return -1

    def _full_name(self, c: int) -> bool:
        """Is character ``c`` named by a title and name or by two names (``Lord Warwick``)?"""
        return c < len(self.name_tokens) and any(
            len(w) >= 2 and w[0].isupper() for w in (f.split() for f in self.chars[c].forms)
        )

    def _set_off(self, m: _M) -> bool:
        """Is this mention set off as a vocative: no article before it, punctuation after it, and
        punctuation, the quote's start or a word of address before it (``Nonsense, Fergus!``,
        ``my dear Rose,``; not ``neither Mrs. Wilson, with ...``)?"""
        if _ARTICLE.match(self.text, m.start):
            return False
        if _VOCATIVE_END.match(self.text, m.end) is None:
            return False
        lo = max(0, m.start - 12)
        return _VOCATIVE_BEFORE.search(self.text, lo, m.start) is not None and not _TITLE_BEFORE.search(
            self.text, lo, m.start
        )

    # 7. the result ------------------------------------------------------------------------
    def result(self) -> tuple[list[Character], list[Mention]]:
        # unnamed characters ("the stranger") take the pronoun that their resolved pronouns show
        unnamed = set(self.unnamed.values())
        votes: dict[int, Counter[str]] = defaultdict(Counter)
        for m in self.mentions:
            if m.cluster in unnamed and m.kind == "pronoun" and m.gender in ("he", "she") and m.quote < 0:
                votes[m.cluster][m.gender] += 1
        for c, v in votes.items():
            if not self.chars[c].gender:
                self.chars[c].gender = v.most_common(1)[0][0]
        counts: Counter[int] = Counter()
        first: dict[int, int] = {}
        aliases: dict[int, Counter[str]] = defaultdict(Counter)
        pron: Counter[int] = Counter()
        addressed: set[int] = set()
        for m in self.mentions:
            if m.cluster < 0:
                continue
            counts[m.cluster] += 1
            first.setdefault(m.cluster, m.start)
            if m.kind == "proper":
                aliases[m.cluster][_clean(self.text[m.start : m.end])] += 1
            elif m.kind == "title":
                aliases[m.cluster][self.text[m.start : m.end]] += 1
            elif m.kind == "nominal" and (m.role == "the" or m.cluster in self._kin_chars):
                aliases[m.cluster][" ".join(self.text[m.start : m.end].lower().split())] += 1
            elif m.kind == "pronoun":
                pron[m.cluster] += 1
            if m.quote >= 0 and m.kind in ("proper", "title"):
                addressed.add(m.cluster)
        named_clusters = {m.cluster for m in self.mentions if m.kind == "proper"} | {self.narrator}
        named_clusters |= set(self.unnamed.values())
        order = sorted((c for c in counts if c in named_clusters), key=lambda c: first[c])
        ids: dict[int, str] = {}
        used: set[str] = set()
        chars: list[Character] = []
        for c in order:
            ch = self.chars[c]
            name = _display(ch, aliases[c])
            cid = _slug(name, used)
            ids[c] = cid
            named = sum(v for k, v in aliases[c].items() if k[:1].isupper())
            chars.append(
                Character(
                    id=cid,
                    name=name,
                    aliases=tuple(Alias(a, n) for a, n in sorted(aliases[c].items(), key=lambda kv: (-kv[1], kv[0]))),
                    pronouns=ch.gender or "unknown",
                    first_char=first[c],
                    mentions=counts[c],
                    mentioned_only=pron[c] == 0 and c not in addressed and named <= 2,
                )
            )
        mentions = [Mention(m.start, m.end, character=ids.get(m.cluster), kind=m.kind) for m in self.mentions]
        return chars, mentions


def looks_like_place(forms: list[str], placed: int, uses: int) -> bool:
    """Is a name with no title and no pronoun of its own a place? Every form a known country,
    state or region, or ``placed`` (uses after ``in``, ``to``, ``visit`` ...) two or more and at
    least two thirds of its ``uses``.

    >>> looks_like_place(["New York"], 0, 2), looks_like_place(["Ruritania"], 2, 3), looks_like_place(["Tobin"], 1, 3)
    (True, True, False)
    """
    known = places()
    if all(known.get(" ".join(parse_form(f).names), "city") != "city" for f in forms):
        return True
    return placed >= 2 and placed * 3 >= uses * 2


def _nominal_gender(noun: str, modifiers: str) -> str:
    """The pronoun a nominal implies: its noun's, else a gendered modifier's (``the boy officer``).

    >>> _nominal_gender("officer", "boy "), _nominal_gender("woman", "strange ")
    ('he', 'she')
    """
    g = _PERSON_NOUNS.get(noun, "")
    if g:
        return g
    for w in modifiers.lower().replace(",", " ").split():
        g = _PERSON_NOUNS.get(w, "")
        if g:
            return g
    return ""


def _nominal_key(surface: str) -> str:
    """``the  Old Man`` -> ``the old man``: one key per definite description."""
    return " ".join(surface.lower().split())


def _clean(surface: str) -> str:
    s = surface.strip()
    if s.endswith(("'s", "’s")):
        s = s[:-2]
    words = s.split()
    while words and not words[0][:1].isupper():
        words.pop(0)  # "old Cotter" -> "Cotter": a modifier is not part of the alias
    return " ".join(words) or s


def _display(ch: _Char, aliases: Counter[str]) -> str:
    names = [a for a in aliases if a[:1].isupper() and a.split()[0].rstrip(".").lower() not in TABLES.titles]
    for a in aliases:
        words = a.split()
        if len(words) > 2 and words[0].rstrip(".").lower() in TABLES.titles and a[:1].isupper():
            names.append(" ".join(words[1:]))  # "Captain Isadora Vance" -> "Isadora Vance"
    if not names:
        names = [a for a in aliases if a[:1].isupper()] or list(aliases) or [ch.display]
    names = [a for a in names if not (a.isupper() and " " in a)] or names  # not a heading in capitals
    return max(names, key=lambda a: (len(a.split()), aliases.get(a, 0), -len(a)))


def _slug(name: str, used: set[str]) -> str:
    base = re.sub(r"[^\w]+", "-", name.lower()).strip("-") or "character"
    cid, k = base, 2
    while cid in used:
        cid, k = f"{base}-{k}", k + 1
    used.add(cid)
    return cid


def analyse_characters(story: Story) -> tuple[list[Character], list[Mention]]:
    """The characters of a story and every mention of them (see the module docstring)."""
    a = _Analysis(story)
    a.find()
    a.cluster()
    a.gender()
    a.resolve_pronouns()
    a.resolve_titles()
    a.join_vocatives()
    a.resolve_pronouns()
    return a.result()
