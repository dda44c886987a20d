"""Point of view: whose head each passage is in, and head-hops (issue 6).

Third-person limited narration tells one character's thoughts, feelings and perceptions;
first-person narration is told by "I"; an outside narrator is in no one's head. This stage
writes the ``pov`` layer, one span per run of paragraphs with the same focal character.

How it decides, per scene:

1. **first person** when "I" is the subject of a fifth or more of the narration's sentences;
2. otherwise the scene's **focal character** is the one whose name most often starts a sentence
   in the narration (``Kira hesitated``, ``Kira's breath``) or who thinks the scene's thoughts;
3. each paragraph's **head cues** (verbs of thinking and feeling: *knew*, *felt*, *wanted*,
   *would*; and the feeling body: *his heart*, *her throat*) are credited to the nearest
   subject before them. Pronouns are the focal character's unless the paragraph opens on
   another character's name (``Gin led Kira away ...``), when they are that character's;
4. a paragraph whose cues belong to another character (two or more) and none to the focal one
   is in that character's head: a **head-hop**, since no scene break separates it.

A scene where no one has head cues has an outside narrator (``person="outside"``).

>>> from fabula import analyze
>>> from fabula.model import Character
>>> s = analyze("Mara knew the door was locked. She felt sick.\\n\\nTom waited. He knew she was lying, "
...             "and he wanted to shout.\\n\\nMara sighed.")
>>> cast = [Character("mara", "Mara", pronouns="she"), Character("tom", "Tom", pronouns="he")]
>>> s = s.with_characters(cast, stage="demo")
>>> [(p.character, p.head_hop) for p in pov(s).layer("pov")]
[('mara', False), ('tom', True), ('mara', False)]
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from fabula.model import Character, Paragraph, Pov, Quote, Scene, Span, Story
from fabula.pipeline import stage

#: Verbs and adjectives of an inner life: credited to the nearest subject before them.
HEAD_VERBS = re.compile(
    r"\b(?:thought|thinks|think|knew|knows|know|felt|feels|feel|wondered|wonders|realized|realised|realizes|hoped|"
    r"hopes|wanted|wants|wished|wishes|feared|fears|loved|loves|hated|hates|decided|remembered|remembers|recalled|"
    r"noticed|notices|understood|believed|believes|worried|worries|longed|needed|missed|liked|imagined|supposed|"
    r"guessed|doubted|sensed|couldn't|could\s+not|could\s+(?:see|hear|feel|smell|taste|tell)|would|wouldn't|"
    r"certain|sure|afraid|hurt|choked|ached|dreaded|hesitated|kidding)\b",
)
#: The feeling body: credited to its possessor (``his heart``, ``Kira's chest``).
HEAD_NOUNS = re.compile(r"\b(?:heart|chest|lungs|breath|tears|throat|stomach|mind|gut|pulse|eyes\s+stung)\b")
_PRONOUN = re.compile(r"\b(?:he|she|his|her|I|my|me)\b", re.IGNORECASE)
_NOMINATIVE = frozenset({"he", "she", "i"})
_GENDER = {
    "he": "he", "his": "he", "him": "he", "she": "she", "her": "she", "hers": "she", "i": "i", "my": "i", "me": "i",
}
# "I" as a subject in the narration (not "I said" after a quote, which first-person tags share).
_FIRST_PERSON_SUBJECT = re.compile(r"\bI\b(?!['\u2019]\w)|\bI['\u2019](?:m|ve|d|ll)\b|\b(?:my|me|myself)\b")
_SENTENCE = re.compile(r"[^.!?\u2026]+(?:[.!?\u2026]+[\"'\u201d\u2019]?|$)")
_PREPOSITION = re.compile(
    r"(?:\b(?:to|for|with|at|of|from|by|on|about|toward|towards|behind|beside|like|following|than)\s+)$", re.I
)


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    character: str | None  # None for a pronoun until resolved
    gender: str
    nominative: bool
    possessive: bool


class _Cast:
    def __init__(self, characters: Sequence[Character]) -> None:
        self.alias: dict[str, str] = {}
        self.gender: dict[str, str] = {}
        for c in characters:
            self.gender[c.id] = c.pronouns if c.pronouns in ("he", "she") else "unknown"
            for n in (c.name, *(a.name for a in c.aliases)):
                if n and n[:1].isupper():
                    self.alias.setdefault(n, c.id)
        self.longest = max((len(n.split()) for n in self.alias), default=0)

    def names(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """Alias occurrences ``(start, end, id)``, longest first: a scan of capitalised runs, then look-ups.

        (One regex alternating hundreds of names is slow in Python's engine; capitalised runs are few.)
        """
        out: list[tuple[int, int, str]] = []
        if not self.alias:
            return out
        for run in _CAP_RUN.finditer(text, start, end):
            words = [(w.start(), w.end()) for w in _RUN_WORD.finditer(text, run.start(), run.end())]
            i = 0
            while i < len(words):
                for j in range(min(len(words), i + self.longest), i, -1):
                    s, e = words[i][0], words[j - 1][1]
                    cid = self.alias.get(text[s:e])
                    if cid is not None:
                        out.append((s, e, cid))
                        i = j
                        break
                else:
                    i += 1
        return out

    def mentions(self, text: str, start: int, end: int) -> list[_Mention]:
        out: list[_Mention] = []
        for s, e, cid in self.names(text, start, end):
            poss = text.startswith(("'s", "\u2019s"), e)
            nom = not poss and not _PREPOSITION.search(text, max(start, s - 12), s)
            out.append(_Mention(s, e, cid, self.gender.get(cid, "unknown"), nom, poss))
        for m in _PRONOUN.finditer(text, start, end):
            w = m.group().lower()
            if w == "i" and m.group() != "I":
                continue
            nom = w in _NOMINATIVE and not _PREPOSITION.search(text, max(start, m.start() - 12), m.start())
            out.append(_Mention(m.start(), m.end(), None, _GENDER[w], nom, w in ("his", "her", "my")))
        out.sort(key=lambda x: x.start)
        return out


# A run of capitalised words ("Master Crane", "Ichimaru Gin"), and its words without a possessive 's.
_CAP_RUN = re.compile(r"(?<![\w'\u2019-])[A-Z][\w'\u2019-]*(?:[ ]+[A-Z][\w'\u2019-]*)*")
_RUN_WORD = re.compile(r"[A-Z][\w-]*?(?=['\u2019]s\b|['\u2019]?(?:[ ]|$)|[^\w'\u2019-])|[A-Z][\w'\u2019-]*")
_CAPITALISED = re.compile(r"(?<=[a-z,;:]\s)[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?\b(?!['\u2019](?:t|ll|re|ve|d|m)\b)")


def _roster(story: Story, quotes: Sequence[Quote]) -> list[Character]:
    """The story's characters, or (before the characters stage) names used mid-sentence twice or more."""
    if story.characters:
        return list(story.characters)
    counts: Counter[str] = Counter()
    for p in story.story_paragraphs():
        for s, e in _narration(story.text, p, quotes):
            counts.update(m.group() for m in _CAPITALISED.finditer(story.text, s, e))
    lower = {w for w in re.findall(r"\b[a-z]+\b", story.text)}
    names = [n for n, c in counts.items() if c >= 2 and n.lower() not in lower]
    return [Character(id=n.lower(), name=n) for n in names]


def _narration(text: str, p: Paragraph, quotes: Sequence[Quote]) -> list[tuple[int, int]]:
    """The paragraph minus its quotes (``quotes`` sorted by start)."""
    out: list[tuple[int, int]] = []
    pos = p.start_char
    i = max(0, bisect.bisect_left(quotes, p.start_char, key=lambda q: q.start_char) - 1)
    for q in quotes[i:]:
        if q.start_char >= p.end_char:
            break
        if q.end_char <= p.start_char:
            continue
        if q.start_char > pos:
            out.append((pos, q.start_char))
        pos = max(pos, q.end_char)
    if pos < p.end_char:
        out.append((pos, p.end_char))
    return out


def _sentence_starts(text: str, segs: list[tuple[int, int]]) -> list[int]:
    starts: list[int] = []
    for s, e in segs:
        for m in _SENTENCE.finditer(text, s, e):
            k = m.start()
            while k < m.end() and not text[k].isalpha():
                k += 1
            if k < m.end():
                starts.append(k)
    return starts


@dataclass(slots=True)
class _ParaInfo:
    para: Paragraph
    segs: list[tuple[int, int]]
    mentions: list[_Mention]
    opener: str | None
    first_person: int
    sentences: int


def _opener(mentions: list[_Mention], starts: list[int]) -> str | None:
    """The character whose name opens the paragraph's first sentence, if any."""
    if not mentions or not starts:
        return None
    m = mentions[0]
    return m.character if m.start == starts[0] and m.character else None


def _focal(
    infos: list[_ParaInfo], quotes: Sequence[Quote], span: Span, text: str, gender: dict[str, str] | None = None
) -> str | None:
    """The scene's focal character: the one whose inner life it shows most (head cues, counted
    twice) and who most often starts a sentence (a name, or he / she read as the last name of
    that gender)."""
    score: Counter[str] = Counter()
    if gender is not None:
        last0: dict[str, str] = {}
        for info in infos:
            for cue_owner, n in _cues(text, info, None, gender, last0).items():
                score[cue_owner] += 2 * n
    last: dict[str, str] = {}
    for info in infos:
        starts = set(_sentence_starts(text, info.segs))
        for m in info.mentions:
            who = m.character or last.get(m.gender)
            if m.character and m.gender in ("he", "she"):
                last[m.gender] = m.character
            if who and m.start in starts and (m.nominative or m.possessive):
                score[who] += 1
    for q in quotes:
        if q.kind == "thought" and q.speaker and span.start_char <= q.start_char < span.end_char:
            score[q.speaker] += 1
    return score.most_common(1)[0][0] if score else None


def _cues(
    text: str, info: _ParaInfo, focal: str | None, gender: dict[str, str], last: dict[str, str]
) -> Counter[str]:
    """Head cues credited to characters in one paragraph.

    A pronoun is the paragraph's opening character's, else the focal character's, when the
    gender fits; else the last character of its gender named before it (``last`` carries the
    names seen in earlier paragraphs of the scene and is updated).
    """
    owner = info.opener if info.opener and info.opener != focal else focal
    before: dict[int, str | None] = {}
    seen = dict(last)
    for m in info.mentions:
        if m.character:
            if gender.get(m.character) in ("he", "she"):
                seen[gender[m.character]] = m.character
        else:
            before[m.start] = seen.get(m.gender)
    last.update(seen)

    def resolve(m: _Mention) -> str | None:
        if m.character:
            return m.character
        if owner and gender.get(owner, "unknown") in (m.gender, "unknown"):
            return owner
        if focal and gender.get(focal, "unknown") in (m.gender, "unknown"):
            return focal
        return before.get(m.start)

    out: Counter[str] = Counter()
    ments = info.mentions
    for s, e in info.segs:
        for rx, want_poss in ((HEAD_VERBS, False), (HEAD_NOUNS, True)):
            for cue in rx.finditer(text, s, e):
                c0 = cue.start()
                sent_start = max(text.rfind(".", s, c0), text.rfind("!", s, c0), text.rfind("?", s, c0), s)
                best: _Mention | None = None
                for m in ments:
                    if m.start >= cue.start():
                        break
                    if m.start < sent_start:
                        continue
                    if (m.possessive if want_poss else m.nominative) and (not want_poss or cue.start() - m.end < 30):
                        best = m
                if best is not None:
                    who = resolve(best)
                    if who:
                        out[who] += 1
    return out


def _scene_spans(story: Story) -> list[Span]:
    scenes = [s for s in story.layer("scenes") if isinstance(s, Scene)]
    return list(scenes) if scenes else [Span(0, len(story.text))]


@stage("pov", requires=("paragraphs", "quotes", "scenes"), assigns=("pov",))
def pov(story: Story) -> Story:
    """Write the ``pov`` layer: the focal character (or person) of each run of paragraphs, and head-hops."""
    text = story.text
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    cast = _Cast(_roster(story, quotes))
    paras = story.story_paragraphs()
    narrator = next((c.id for c in story.characters if c.id == "narrator"), None)
    per_para: list[tuple[Paragraph, str | None, str, bool]] = []
    pstarts = [p.start_char for p in paras]
    for scene in _scene_spans(story):
        infos: list[_ParaInfo] = []
        lo, hi = bisect.bisect_left(pstarts, scene.start_char), bisect.bisect_left(pstarts, scene.end_char)
        for p in paras[lo:hi]:
            segs = _narration(text, p, quotes)
            ments = [m for s, e in segs for m in cast.mentions(text, s, e)]
            starts = _sentence_starts(text, segs)
            first = sum(
                1 for s, e in segs for m in _SENTENCE.finditer(text, s, e) if _FIRST_PERSON_SUBJECT.search(m.group())
            )
            infos.append(_ParaInfo(p, segs, ments, _opener(ments, starts), first, len(starts)))
        if not infos:
            continue
        sentences = sum(i.sentences for i in infos)
        if sentences and sum(i.first_person for i in infos) >= max(2, 0.2 * sentences):
            per_para += [(i.para, narrator, "first", False) for i in infos]
            continue
        focal = _focal(infos, quotes, scene, text, cast.gender)
        last: dict[str, str] = {}
        cues = [_cues(text, i, focal, cast.gender, last) for i in infos]
        if focal is None or not any(c for c in cues):
            per_para += [(i.para, None, "outside", False) for i in infos]
            continue
        for info, c in zip(infos, cues, strict=True):
            other, n = max(((k, v) for k, v in c.items() if k != focal), key=lambda kv: kv[1], default=(None, 0))
            if other is not None and n >= 2 and c.get(focal, 0) == 0:
                per_para.append((info.para, other, "third", True))
            else:
                per_para.append((info.para, focal, "third", False))
    return story.with_layer("pov", _tile(per_para, len(text)), stage="pov")


def _tile(per_para: list[tuple[Paragraph, str | None, str, bool]], length: int) -> list[Pov]:
    """Merge paragraphs with the same POV into spans that cover the text end to end."""
    runs: list[tuple[int, str | None, str, bool]] = []
    for p, who, person, hop in per_para:
        if not runs or (runs[-1][1], runs[-1][2]) != (who, person):
            runs.append((p.start_char, who, person, hop))
    out: list[Pov] = []
    for k, (start, who, person, hop) in enumerate(runs):
        end = runs[k + 1][0] if k + 1 < len(runs) else length
        out.append(Pov(0 if k == 0 else start, end, character=who, person=person, head_hop=hop))
    return out


def head_hops(story: Story) -> list[Pov]:
    """The POV spans that begin with a head-hop.

    >>> head_hops(Story(text="x"))
    []
    """
    return [p for p in story.layer("pov") if isinstance(p, Pov) and p.head_hop]


def pov_summary(story: Story) -> list[str]:
    """One line per POV span for ``fabula read``: paragraphs, whose head, and head-hops.

    >>> from fabula.model import Paragraph
    >>> s = Story(text="a\\n\\nb").with_layer("paragraphs", [Paragraph(0, 1), Paragraph(3, 4)], stage="t")
    >>> s = s.with_layer("pov", [Pov(0, 3, "kira"), Pov(3, 4, "gin", head_hop=True)], stage="t")
    >>> pov_summary(s)
    ['¶1 kira (third person)', '¶2 gin (third person) — head-hop, no scene break']
    """
    starts = [p.start_char for p in story.layer("paragraphs")]
    out: list[str] = []
    for p in story.layer("pov"):
        if not isinstance(p, Pov):
            continue
        first = bisect.bisect_right(starts, p.start_char)
        last = max(first, bisect.bisect_left(starts, p.end_char))
        where = f"¶{max(first, 1)}" if last <= max(first, 1) else f"¶{max(first, 1)}–{last}"
        c = story.character(p.character)
        who = c.name if c else (p.character or ("outside narrator" if p.person == "outside" else "narrator"))
        person = {"first": "first person", "third": "third person"}.get(p.person, "outside")
        out.append(f"{where} {who} ({person})" + (" — head-hop, no scene break" if p.head_hop else ""))
    return out
