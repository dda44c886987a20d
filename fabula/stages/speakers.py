"""Who says it, to whom: speaker, addressees, remembered speech and thinkers (issue 4).

The ``speakers`` stage fills in :class:`~fabula.model.Quote` ``speaker``, ``addressees``,
``confidence``, ``remembered`` and ``method`` for every quote and thought, and marks the
characters who speak (``Character.speaks``). It reads the story paragraph by paragraph, in
three passes:

1. **Explicit evidence**, quote by quote: a tag after, before or between quotes, either order
   (``"...," said Gin`` / ``Gin said, "..."`` / ``"...," he said, slyly. "..."``) with any
   speech verb or said-bookism from :mod:`fabula.stages.speakers_lexicon`; an action beat in
   the sentence next to the line (``Tuppence nodded. "Yes."``; a beat after the line counts a
   little less, since it may be the listener reacting) or ending the previous paragraph with a
   comma or colon (``Gin knelt down,``); a memory frame ending the narration before the line
   (``that's what Gin had told him.``), which marks it ``remembered`` and gives it to the one
   remembered. Names and nominals are read from the ``mentions`` layer (the characters
   stage); ``he`` / ``she`` in a tag is resolved here, from the exchange as well as salience
   (a subject named earlier in the paragraph, or a speaker tagged earlier in it; else the
   latest subject of that gender; with ``he answered`` / ``replied``, not the previous
   paragraph's speaker). A vocative never names the speaker. One tag split by a relative
   clause (``"...," said Rose, who often speaks on a platform, "..."``) covers both halves; a
   clause ending in a speech verb gives the line to that verb's subject (``Jack cracked his
   fingers and Father Arnall looked up and said:``).
2. **Voice**: every character's surely attributed lines train a
   :class:`~fabula.stages.voice.VoiceProfile` (eye dialect, signature words, register).
3. **Implicit lines**, exchange by exchange (speech paragraphs with at most
   :data:`EXCHANGE_GAP` narration paragraphs between): alternation counted from the nearest
   attributed paragraph before and after (a new paragraph by the same speaker, told by a tag,
   or a third character entering resets it, because only attributed paragraphs anchor it;
   alternation runs on from the *last* speaker of the paragraph before; the other party of a
   speaker is the paragraph's other speaker, whom they address by name, else the nearest
   other speaker or character named as the subject of a narration paragraph in between,
   ``Mr. Bennet made no answer.``), the subject of a short narration paragraph right before, the one the previous
   line addressed, a memory still running, and voice are features of each candidate, weighed
   by :mod:`fabula.attribution.ranker` (a softmax over the candidates; the rules' hand-set
   weights unless a trained model ships); the best-scoring character takes the line. A line
   that stays in the paragraph of an attributed one is that speaker's. ``he`` / ``she`` in a
   tag is resolved by the same ranker over its own features (``p_*``).

Thoughts go to a thinker named by a tag (``~She knows,~ Tam thought``), else to the
point-of-view character (the ``pov`` layer; when the pipeline has not run the pov stage yet,
it is run here on the paragraphs around the thoughts). Addressees of speech are the named
vocatives, else a group when the tag says so (``said to them``), else the other party of the
exchange (the speaker before or after), else the character named nearest before.

**Confidence and the threshold.** Each method carries a base confidence (tags 0.95, a
speech verb in the clause before 0.85, beats 0.5-0.85, memory frames 0.8; turn-taking,
voice and the rest the ranker's probability for the winner, at most 0.9). A line whose best
confidence is below :data:`MIN_CONFIDENCE` (0.3) keeps ``speaker=None``, ``method=None`` and
``confidence=0.0``: too weak to say rather than a guess.

``Quote.method`` names the evidence: ``tag-after``, ``tag-before``, ``tag-inside``, ``beat``,
``beat-prev``, ``tag-heard`` ("Mary heard her say"), ``remembered``, ``continued`` (speech running
on from a paragraph whose quote never closed), ``turn-taking``, ``voice``, ``vocative-answer``,
``vocative-exclusion``, ``salience`` (speech); ``thought-tag``, ``pov`` (thoughts).

**Characters this stage adds.** A first-person narrator (``"...," I said``) whom the cast
lacks becomes the character ``narrator`` with the narration's I/me/my as its mentions; a
speaker named only by a description nobody resolved (``said her husband``), or by a name the
cast lacks (``"...," Pink observed``, even a name that is also a word: ``said Good``), becomes
a character of its own with that mention; an indefinite one (``somebody else inquired``, ``said
one of the colts``) is a character of its own each time, whom no later ``he`` or ``she`` means.
When the story has no ``characters`` at all, the stage builds a small roster from the names
in tags and repeated names, so it still works alone.

>>> from fabula import analyze
>>> s = analyze('"Where to?" asked Marta.\\n\\n"Home," said Jon.\\n\\n"Why?"\\n\\n"Because."')
>>> [(q.speaker, q.method) for q in s.layer("quotes")]
[('marta', 'tag-after'), ('jon', 'tag-after'), ('marta', 'turn-taking'), ('jon', 'turn-taking')]
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from fabula.attribution import ranker
from fabula.model import Alias, Character, Mention, Paragraph, Provenance, Quote, Span, Story
from fabula.pipeline import stage
from fabula.stages import speakers_lexicon as lx
from fabula.stages.voice import VoiceModel, VoiceProfile, voice_features

#: Below this confidence a line keeps ``speaker=None``.
MIN_CONFIDENCE = 0.3
#: Lines from pass 1 at or above this confidence train the voice profiles.
VOICE_TRAIN_CONFIDENCE = 0.6
#: Paragraphs before and after a thought that the point-of-view stage looks at to find its thinker.
POV_WINDOW = (40, 10)
#: How much the exchange weighs when resolving ``he said``: against the previous paragraph's
#: speaker, for the one before it and for whoever the previous line addressed. Off (0.0): on
#: LitBank dev (5-fold cross-validation by work over this and the four weights below), 0.0
#: was chosen in 3 of 5 folds and never lost to 0.3 / 0.5 by more than a few lines.
TAG_ALTERNATION = 0.0
#: Weight of voice when a candidate speaks in eye dialect, and when none does.
VOICE_DIALECT_WEIGHT = 0.9
VOICE_PLAIN_WEIGHT = 0.3
#: Weight for the one the previous line addressed by name, as the next speaker.
VOCATIVE_ANSWER_WEIGHT = 0.25
TOPIC_WINDOW = 300
#: Weight of a short narration paragraph's subject as the speaker of the next, untagged line
#: (0.6: chosen in 4 of 5 folds of the cross-validation by work on LitBank dev, over 0.0 / 0.3).
PREV_BEAT_WEIGHT = 0.6
#: Use the ``mentions`` layer's pronoun resolutions as they are (else resolve pronouns here).
TRUST_PRONOUNS = False
#: Lines per character that train its voice profile (a sample is enough; bounds the cost).
VOICE_TRAIN_LINES = 60
#: Narration-only paragraphs after which an exchange is over.
EXCHANGE_GAP = 2

_NARRATOR = "narrator"
_NOMINAL = re.compile(lx.NOMINAL)
_INDEFINITE = re.compile(lx.INDEFINITE)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself)\b")
_NOT_PEOPLE = frozenset("voice voices door wind thing things one other others way time".split())
_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")
_SENT_END = re.compile(r"[.!?\u2026]['\"\u2019\u201d]?\s+(?=[\"'\u201c\u2018(]?[A-Z])")
#: A full stop that ends a title or an initial ("Mrs. Bennet", "J. Smith"), not a sentence.
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Messrs|Rev|Capt|Col|Gen)|(?<![\w.])[A-Z])$")
_CAP_WORD = re.compile(r"\b[A-Z][a-z\u00e0-\u00ff-]+(?:\s+[A-Z][a-z\u00e0-\u00ff-]+){0,2}\b(?!['\u2019]\w\w)")
_NOT_NAMES = frozenset(
    """I A An The He She It They We You His Her Its Their Our My Your This That These Those There Here Then
    When Where What Why How Who Whom Which While But And Or So Yet If As At In On Of For By With From To Not
    No Yes Oh Ah Well Now Just Only Even Still Once After Before Because Though Although Perhaps Maybe
    Mr Mrs Miss Ms Dr Sir Lady Lord God Lord Heaven Hell Monday Tuesday Wednesday Thursday Friday Saturday
    Sunday January February March April May June July August September October November December
    Captain Lieutenant Chapter Part Book Aw Ok Okay Hey Hi Hello Please Thank Thanks Good Come Go Let Don
    Didn Wasn Isn Aren Couldn Wouldn Shouldn All Some Every Each Both Either Neither Any None One Two Three
    Do Does Did Is Are Was Were Be Been Have Has Had Will Would Could Should Can May Might Must Shall""".split()
)


@dataclass(slots=True)
class _Evidence:
    speaker: str | None = None
    confidence: float = 0.0
    method: str | None = None
    remembered: bool = False
    addressees: tuple[str, ...] = ()
    vocatives: tuple[str, ...] = ()
    explicit: bool = False  # a tag: breaks turn-taking's alternation

    def update(self, **changes: object) -> _Evidence:
        """Set some fields in place (cheaper than ``dataclasses.replace`` on a hot path)."""
        for k, v in changes.items():
            setattr(self, k, v)
        return self


@dataclass(slots=True)
class _Ment:
    start: int
    end: int
    character: str | None
    kind: str
    nominative: bool
    gender: str


@dataclass(slots=True)
class _Cast:
    """Characters, the names they go by, and their mentions in the narration."""

    characters: list[Character]
    alias_re: re.Pattern[str] | None
    alias_to_id: dict[str, str]
    gender: dict[str, str]
    mentions: list[_Ment] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    #: Characters the narration calls "I": never the referent of a third-person pronoun.
    first_person: set[str] = field(default_factory=set)
    #: Characters this stage had to add: a nominal speaker nobody resolved ("said my father").
    extra: dict[str, tuple[str, list[tuple[int, int]]]] = field(default_factory=dict)
    text: str = ""
    #: Where scene breaks and chapters start: no exchange, addressee or presence runs across one.
    breaks: list[int] = field(default_factory=list)
    #: Characters who enter the story by narration, and where: first mentioned outside speech, before
    #: any line of theirs (set as pass 1 ends).
    enters: dict[str, int] = field(default_factory=dict)

    def scene_start(self, pos: int) -> int:
        """Where the scene holding ``pos`` starts (0 when no break comes before it)."""
        i = bisect.bisect_right(self.breaks, pos) - 1
        return self.breaks[i] if i >= 0 else 0

    def starting_at(self, start: int, end: int) -> list[_Ment]:
        """Mentions that start inside ``[start, end)``, whatever their end."""
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            out.append(self.mentions[i])
            i += 1
        return out

    def in_range(self, start: int, end: int) -> list[_Ment]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out


# --- the cast -------------------------------------------------------------------------------


def _alias_regex(names: Iterable[str]) -> re.Pattern[str] | None:
    uniq = sorted({n for n in names if n and n.strip()}, key=len, reverse=True)
    if not uniq:
        return None
    return re.compile(r"(?<![\w'\u2019])(?:" + "|".join(re.escape(n) for n in uniq) + r")(?![\w])")


def _fallback_roster(story: Story, quotes: Sequence[Quote], sparas: Sequence[Paragraph]) -> list[Character]:
    """Characters from names used as tag subjects or repeated mid-sentence (no characters stage)."""
    text = story.text
    counts: Counter[str] = Counter()
    tagged: set[str] = set()
    for p in sparas:
        seg = text[p.start_char : p.end_char]
        for m in _CAP_WORD.finditer(seg):
            name = m.group()
            if name.split()[0] in _NOT_NAMES:
                continue
            before = seg[max(0, m.start() - 2) : m.start()]
            if m.start() == 0 or before.rstrip()[-1:] in ".!?\"\u201c\u201d'":
                continue  # sentence-initial capitals prove nothing
            counts[name] += 1
    for q in quotes:
        tag = lx.TAG_AFTER.match(text, q.end_char, min(len(text), q.end_char + 80))
        if tag:
            subj = tag.group("subj1") or tag.group("subj2")
            if subj and subj[0].isupper() and subj.split()[0] not in _NOT_NAMES:
                tagged.add(subj)
    names = {n for n, c in counts.items() if c >= 2} | tagged
    # "Gin" inside "Ichimaru Gin": keep both as names of one character when one contains the other
    out: dict[str, Character] = {}
    for n in sorted(names, key=len, reverse=True):
        home = next((c for full, c in out.items() if n in full.split()), None)
        if home is not None:
            out[next(k for k, v in out.items() if v is home)] = dataclasses.replace(
                home, aliases=(*home.aliases, _alias(n, counts[n]))
            )
            continue
        out[n] = Character(id=_slug(n), name=n, aliases=(_alias(n, counts[n]),))
    return list(out.values())


def _alias(name: str, count: int) -> Alias:
    return Alias(name, count)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "someone"


def _build_cast(
    story: Story, characters: list[Character], quote_spans: Sequence[Span], sparas: Sequence[Paragraph]
) -> _Cast:
    alias_to_id: dict[str, str] = {}
    for c in characters:
        for n in (c.name, *(a.name for a in c.aliases)):
            alias_to_id.setdefault(n, c.id)
    gender = {c.id: (c.pronouns if c.pronouns in ("he", "she", "they") else _title_gender(c)) for c in characters}
    given = [m for m in story.layer("mentions") if isinstance(m, Mention)]
    # the alias alternation is only needed when no mentions layer names the characters
    cast = _Cast(characters, None if given else _alias_regex(alias_to_id), alias_to_id, gender, text=story.text)
    text = story.text
    qstarts = [q.start_char for q in quote_spans]

    def inside_quote(s: int) -> bool:
        i = bisect.bisect_right(qstarts, s) - 1
        return i >= 0 and quote_spans[i].start_char <= s < quote_spans[i].end_char

    found: list[_Ment] = []
    narration = _narration_spans(sparas, quote_spans)
    if cast.alias_re is not None:
        for a, b in narration:
            for m in cast.alias_re.finditer(text, a, b):
                found.append(_ment(text, m.start(), m.end(), alias_to_id[m.group()], "proper", m.group(), gender))
    for g in given:
        if inside_quote(g.start_char):
            continue
        word = text[g.start_char : g.end_char]
        if g.kind != "pronoun" or TRUST_PRONOUNS:
            found.append(_ment(text, g.start_char, g.end_char, g.character, g.kind, word, gender))
        elif g.character is not None and word.lower() in ("i", "me", "my", "myself", "we", "us", "our"):
            found.append(_ment(text, g.start_char, g.end_char, g.character, "pronoun", word, gender))
    # pronouns: resolved here, by salience (see _resolve_pronouns), unless TRUST_PRONOUNS
    taken = {x.start for x in found}
    for a, b in () if given and TRUST_PRONOUNS else narration:
        for m in lx.PRONOUN.finditer(text, a, b):
            if m.start() not in taken:
                found.append(_ment(text, m.start(), m.end(), None, "pronoun", m.group(), gender))
    found.sort(key=lambda x: x.start)
    firsts = Counter(m.character for m in found if m.gender == "first" and m.character)
    cast.first_person = {c for c, n in firsts.items() if n >= 3}
    # Infer the gender of characters the cast leaves ``unknown`` from the pronouns after their name.
    _infer_genders(text, found, cast.gender)
    for x in found:
        if x.kind != "pronoun" and x.character:
            x.gender = cast.gender.get(x.character, "unknown")
    _resolve_pronouns(found, cast.first_person)
    cast.mentions = found
    cast.starts = [m.start for m in found]
    return cast


def _story_paragraphs(story: Story) -> list[Paragraph]:
    """:meth:`Story.story_paragraphs` in one sorted sweep (the same paragraphs, linear time)."""
    skip = sorted((x.start_char, x.end_char) for x in (*story.layer("paratext"), *story.layer("scene_breaks")))
    out: list[Paragraph] = []
    j = 0
    for p in story.layer("paragraphs"):
        if not isinstance(p, Paragraph):
            continue
        while j < len(skip) and skip[j][1] <= p.start_char:
            j += 1
        k, hit = j, False
        while k < len(skip) and skip[k][0] < p.end_char:
            if skip[k][1] > p.start_char:  # as Span.overlaps
                hit = True
                break
            k += 1
        if not hit:
            out.append(p)
    return out


def _narration_spans(sparas: Sequence[Paragraph], quote_spans: Sequence[Span]) -> list[tuple[int, int]]:
    """The story paragraphs' text outside quotes, as ``(start, end)`` pieces in order."""
    out: list[tuple[int, int]] = []
    qs = sorted((q.start_char, q.end_char) for q in quote_spans)
    j = 0
    for p in sparas:
        pos = p.start_char
        while j < len(qs) and qs[j][1] <= pos:
            j += 1
        k = j
        while k < len(qs) and qs[k][0] < p.end_char:
            if qs[k][0] > pos:
                out.append((pos, qs[k][0]))
            pos = max(pos, qs[k][1])
            k += 1
        if pos < p.end_char:
            out.append((pos, p.end_char))
    return out


def _infer_genders(text: str, ments: list[_Ment], gender: dict[str, str]) -> None:
    """Give characters of unknown gender the one their pronouns show: the first third-person
    pronoun after a named subject, in the same sentence, with no other character between
    ("Captain Vance wore a grey coat and carried *her* lantern"); *him* / *them* are passed over
    (objects are most often someone else). The majority needs 3 votes to 1."""
    votes: dict[str, Counter[str]] = {}
    for j, m in enumerate(ments):
        if m.kind == "pronoun" or not m.character or not m.nominative or gender.get(m.character) != "unknown":
            continue
        for n in ments[j + 1 : j + 4]:
            if n.start - m.end > 150 or any(c in ".!?" for c in text[m.end : n.start]):
                break
            if n.kind != "pronoun":
                if n.character != m.character:
                    break
                continue
            word = text[n.start : n.end].lower()
            if word in ("him", "them"):
                break  # an object is most often someone else
            if n.gender in ("he", "she"):
                votes.setdefault(m.character, Counter())[n.gender] += 1
                break
    for c, v in votes.items():
        (top, k), *rest = v.most_common()
        if k >= 3 * (rest[0][1] if rest else 0):
            gender[c] = top


def _title_gender(c: Character) -> str:
    """``he`` / ``she`` from a title in a character's names ("Mrs. Hale"), else ``unknown``."""
    for n in (c.name, *(a.name for a in c.aliases)):
        m = lx.GENDERED_TITLE.match(n)
        if m:
            return "he" if m.group("he") else "she"
    # A description's last word tells its gender when nothing else does ("the old man", "her sister").
    if not c.name[:1].isupper() or c.name.split()[0] in ("The", "A", "An", "My", "His", "Her"):
        return lx.noun_gender(c.name)  # "the old man", "her sister"
    return "unknown"


_PRONOUN_INFO = {
    w: (w in lx.NOMINATIVE_PRONOUNS, lx.PRONOUN_GENDER.get(w, "first" if w in ("i", "we", "me", "my") else "unknown"))
    for w in (*lx.PRONOUN_GENDER, "i", "we", "me", "my", "myself", "us", "our", "it", "its")
}


def _ment(text: str, s: int, e: int, cid: str | None, kind: str, word: str, gender: dict[str, str]) -> _Ment:
    low = word.lower()
    info = _PRONOUN_INFO.get(low)
    if info is not None or kind == "pronoun":
        nominative, g = info or (False, "unknown")
        return _Ment(s, e, cid, "pronoun", nominative, g)
    after = text[e : e + 2]
    possessive = after[:2] in ("'s", "\u2019s")
    subject = not possessive and not lx.object_before(text, s)
    # A name after an infinitive ("went to get Annie") is an object, never the topic.
    if subject and lx.infinitive_before(text, s) and not lx.VERB_AFTER.match(text, e):
        subject = False  # "She left him alone, and went to get Annie ...": the object, not the topic
    return _Ment(s, e, cid, kind, subject, gender.get(cid or "", "unknown"))


def _resolve_pronouns(ments: list[_Ment], first_person: set[str]) -> None:
    """Third-person pronouns left unresolved go to the latest character of their gender, a subject
    pronoun preferring the latest subject; resolved pronouns carry the chain on."""
    last: dict[str, str] = {}
    last_subject: dict[str, str] = {}
    for m in ments:
        if m.kind == "pronoun" and m.character is None and m.gender in ("he", "she"):
            pick = (last_subject.get(m.gender) if m.nominative else None) or last.get(m.gender)
            pick = pick or last.get("unknown")
            m.character = pick
        g = m.gender  # first-person mentions ("first") never feed a third-person chain
        if m.character and g in ("he", "she", "unknown") and m.character not in first_person:
            last[g] = m.character
            if m.nominative:
                last_subject[g] = m.character


# --- helpers on text --------------------------------------------------------------------------


def _sentence_ends(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Sentence ends in ``text[start:end]``, passing over the full stops of titles and initials."""
    for m in _SENT_END.finditer(text, start, end):
        if text[m.start()] == "." and _ABBREVIATION.search(text, max(0, m.start() - 8), m.start()):
            continue
        yield m


def _first_sentence_end(text: str, start: int, end: int) -> re.Match[str] | None:
    return next(_sentence_ends(text, start, end), None)


def _sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence that holds ``pos`` (not before ``lo``)."""
    best = lo
    for m in _sentence_ends(text, lo, pos):
        best = m.end()
    return best


@dataclass(frozen=True, slots=True)
class _Turnback:
    """A previous speech paragraph, as the tag-pronoun resolver sees it."""

    para: int
    speaker: str | None
    vocatives: tuple[str, ...]


def _compatible(cast: _Cast, c: str, gender: str) -> bool:
    if c in cast.first_person:
        return False  # the narrator who says "I" is not "he" or "she"
    g = cast.gender.get(c, "unknown")
    return gender not in ("he", "she") or g in (gender, "unknown")


def _tag_pronoun(
    cast: _Cast,
    pos: int,
    gender: str,
    avoid: Sequence[str],
    para_start: int,
    k: int,
    recent: Sequence[_Turnback],
    here: Sequence[str] = (),
    verb: str = "",
    narration: tuple[int, int] = (0, 0),
    beat: Span | None = None,
) -> str | None:
    """Who ``he`` / ``she`` in a speech tag is: the best-scoring candidate by
    :func:`fabula.attribution.ranker.score` over features of a subject named earlier in the
    paragraph, salience (the latest subjects of that gender), the exchange (a new paragraph is
    usually the other party; the one the last line addressed is likely to answer). ``narration``:
    the narration before the line in its paragraph (``(start, end)``; empty when the line opens it)."""
    feats: dict[str, dict[str, float]] = {}

    def add(c: str | None, name: str, value: float = 1.0) -> None:
        if not c or c in avoid or not _compatible(cast, c, gender):
            return
        f = feats.setdefault(c, {})
        f[name] = f.get(name, 0.0) + value

    named_at = next(
        (
            m
            for m in reversed(cast.in_range(para_start, pos))
            if m.nominative and m.kind != "pronoun" and m.character and m.character not in avoid
            and _compatible(cast, m.character, gender)
        ),
        None,
    )
    named = named_at.character if named_at is not None else None
    # A he / she tag after a line whose paragraph opens on a description nobody resolved refers to it.
    if named is None and narration[1] > narration[0]:
        # "The gatekeeper surveyed the vehicle. "...," he said": a description nobody resolved
        head = _sentence_start(cast.text, narration[0], narration[1] - 1)
        who = _opening_subject(cast, cast.text, head, narration[1], avoid)
        if who is not None and who != _NARRATOR:
            named = who
    # A he / she tag on a line opening its paragraph, after a short narration paragraph whose last
    # sentence opens on a name or a description of that gender, refers to it.
    if named is None and beat is not None and narration[1] <= narration[0]:
        # "The Mem Sahib wrung her hands. / "Oh, I know I ought!" she cried.": the beat's subject
        named = _beat_subject(cast, beat, gender, avoid)
    add(named, "p_named_here")
    for c in here:  # a speaker tagged earlier in this paragraph goes on ("...," said Tom. "...," he added)
        add(c, "p_tagged_here")
    if recent and recent[-1].para == k - 1 and lx.REPLY_VERB.fullmatch(verb.split()[0] if verb else ""):
        add(recent[-1].speaker, "p_reply_to_last")  # "he answered": not the one who just spoke
    if _wanted("p_nearest_mention"):
        nearest = next((m for m in reversed(cast.in_range(max(0, pos - 400), pos)) if m.character), None)
        if nearest is not None:
            add(nearest.character, "p_nearest_mention")
    deep = _wanted("p_salience_3") or _wanted("p_salience_4")
    for rank, (c, bucket) in enumerate(_salient_ranked(cast, pos, gender, avoid, 5 if deep else 3)):
        add(c, f"p_salience_{rank}")
        add(c, f"p_{bucket}")
    if recent:
        last = recent[-1]
        add(last.speaker, "p_last_speaker_next" if k - last.para == 1 else "p_last_speaker")
        if len(recent) >= 2 and recent[-2].speaker != last.speaker:
            add(recent[-2].speaker, "p_two_back")
        for c in last.vocatives:
            if c != last.speaker:
                add(c, "p_last_vocative")
    for c, f in feats.items():
        if cast.gender.get(c, "unknown") == gender:
            f["p_gender_known"] = 1.0
    if not feats:
        return None
    if FEATURE_SINK is not None:
        FEATURE_SINK.append(("pronoun", pos, pos + len(gender), {c: dict(f) for c, f in feats.items()}))
    probs = ranker.score(feats)
    return max(probs, key=lambda c: probs[c])


def _beat_subject(cast: _Cast, beat: Span, gender: str, avoid: Sequence[str]) -> str | None:
    """The name or description a short narration paragraph's last sentence opens on."""
    if beat.end_char - beat.start_char > 400:
        return None
    text = cast.text
    head = _sentence_start(text, beat.start_char, beat.end_char - 1)
    sentence = text[head : beat.end_char]
    opening = _BEAT_OPENING.match(text, head + len(sentence) - len(sentence.lstrip()))
    if opening is not None and opening.group("subj").lower().split()[-1] in _BODY:
        return None  # "My eyes followed his trim figure.": nobody of its own
    who = _opening_subject(cast, text, head, beat.end_char, avoid)
    # In that paragraph, a last sentence opening on he / she goes on with the name its first
    # sentence opens on ("Marilla's lips twitched. She had expected Mrs. Rachel up.").
    if who is None and re.match(rf"\s*{gender}\b", text[head : head + 8], re.I):
        # "Marilla's lips twitched. She had expected Mrs. Rachel up.": the she goes on with the
        # paragraph's first sentence's subject
        first = beat.start_char + len(text[beat.start_char : head]) - len(text[beat.start_char : head].lstrip())
        topic = next(iter(cast.in_range(first, first + 40)), None)
        if (
            topic is not None and topic.start == first and topic.kind != "pronoun" and topic.character
            and topic.character not in avoid and _compatible(cast, topic.character, gender)
            and not any(  # "The woman did not answer. The nurse came back. She ...": the nurse
                m.nominative and m.kind != "pronoun" and m.character not in (None, topic.character)
                for m in cast.in_range(topic.end, head)
            )
        ):
            who = topic.character
    if who is None:
        # the latest name or description that is a subject there ("the child's nurse came back")
        last = next(
            (
                m
                for m in reversed(cast.in_range(beat.start_char, beat.end_char))
                if m.nominative and m.kind != "pronoun" and m.character and _compatible(cast, m.character, gender)
            ),
            None,
        )
        who = last.character if last is not None else None
    if who is None or who == _NARRATOR or not _compatible(cast, who, gender):
        return None
    return who


_OPENS = re.compile(r"(?:^|[.!?][\"'\u201d\u2019]?)\s*$")


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether ``pos`` starts a sentence (or a paragraph).

    >>> _opens_sentence("He left. Tom sat.", 9), _opens_sentence("so that Tom sat", 8)
    (True, False)
    """
    return _OPENS.search(text, max(0, pos - 6), pos) is not None


def _salient_ranked(cast: _Cast, pos: int, gender: str, avoid: Sequence[str], n: int) -> list[tuple[str, str]]:
    """Up to ``n`` characters a pronoun at ``pos`` may refer to, most salient first, each with how it
    was last seen: ``topic`` (a subject pronoun close by), ``subject`` (a named subject), ``other``."""
    i = bisect.bisect_left(cast.starts, pos) - 1
    buckets: dict[str, list[str]] = {"topic": [], "subject": [], "other": []}
    seen: set[str] = set()
    named_since = False  # a named subject after a topic pronoun takes the topic over
    while i >= 0 and pos - cast.mentions[i].start < 3000 and len(seen) < n:
        m = cast.mentions[i]
        i -= 1
        c = m.character
        if not c or c in avoid or c == _NARRATOR or m.gender == "first" or not _compatible(cast, c, gender):
            continue
        close = pos - m.start < TOPIC_WINDOW and not named_since
        # Resolve ``he said`` to the latest character a subject pronoun referred to (within
        # TOPIC_WINDOW characters) before the latest named one.
        if m.nominative and m.kind == "pronoun" and close:
            bucket = "topic"
        else:
            bucket = "subject" if m.nominative else "other"
            named_since = named_since or (
                # A character named as a subject after the latest subject pronoun takes the topic over
                # ("Terry got out his glass. "...," he urged": Terry, not the "he" of the sentence before).
                m.nominative and m.kind != "pronoun" and _opens_sentence(cast.text, m.start)
            )
        if c not in buckets[bucket]:
            buckets[bucket].append(c)
        seen.add(c)
    out: list[tuple[str, str]] = []
    done: set[str] = set()
    for b in ("topic", "subject", "other"):
        for c in buckets[b]:
            if c not in done:
                done.add(c)
                out.append((c, b))
    return out[:n]


def _subject_character(
    cast: _Cast,
    text: str,
    start: int,
    end: int,
    avoid: Sequence[str],
    context: tuple[int, int, Sequence[_Turnback], Sequence[str], str, tuple[int, int], Span | None] | None = None,
) -> str | None:
    """The character the subject span ``text[start:end]`` refers to; ``context`` (paragraph
    start, paragraph index, previous turns) lets a pronoun use the exchange."""
    low = text[start:end].lower()
    trusted = TRUST_PRONOUNS and any(m.character for m in cast.in_range(start, end))
    if context is not None and low in ("he", "she") and not trusted:
        return _tag_pronoun(cast, start, low, avoid, *context)
    word = text[start:end]
    nominal = " " in word and _NOMINAL.fullmatch(word) is not None
    # mentions starting on the subject (LitBank-style nominals run on: "the girl, who was ..."),
    # the outermost first: "the child's nurse" before "the child"
    here = sorted(cast.starting_at(start, end), key=lambda m: m.start - m.end)
    for m in here:
        if nominal and m.kind == "pronoun":
            continue  # the "my" of "my father"
        if m.character and m.character not in avoid:
            return m.character
        if m.kind == "pronoun" and m.gender == "first":
            return _NARRATOR
        if m.kind == "pronoun":
            return _salient(cast, start, m.gender, avoid)
    cid = cast.alias_to_id.get(word)
    if cid is None:
        # "Mrs. Hale" when only "Hale" is known, or "the old Mr. Hale"
        for w in reversed(word.split()):
            cid = cast.alias_to_id.get(w.strip(".,"))
            if cid:
                break
    if cid and cid not in avoid:
        return cid
    low = word.lower()
    if low in ("i", "we"):
        return _NARRATOR
    if low in lx.PRONOUN_GENDER:
        return _salient(cast, start, lx.PRONOUN_GENDER[low], avoid)
    if _INDEFINITE.fullmatch(word):
        # "somebody else inquired": someone of their own, here only
        cid = f"{_slug(low)}-{start}"
        cast.extra.setdefault(cid, (low, []))[1].append((start, end))
        cast.gender[cid] = "indefinite"  # nobody a later "he" or "she" points back to
        return cid
    if nominal and low.split()[-1] not in _NOT_PEOPLE:
        # a speaker named by a description nobody resolved: a character of its own
        cid = "the-" + _slug(low.split(" ", 1)[1]) if low.startswith(("the ", "a ", "an ")) else _slug(low)
        cast.extra.setdefault(cid, (low, []))[1].append((start, end))
        if cast.gender.get(cid, "unknown") == "unknown":
            cast.gender[cid] = lx.noun_gender(low)
        return cid
    # Give a name the cast lacks, when it is the subject of a speech tag, a character of its own.
    if _unknown_name(word):
        # a name as the subject of a speech verb that the cast lacks ("Pink observed"): a character
        cid = _slug(word)
        if cid not in cast.gender:
            cast.extra.setdefault(cid, (word, []))[1].append((start, end))
            cast.alias_to_id.setdefault(word, cid)
            return cid
    return None


_NAME_SHAPE = re.compile(r"(?:[A-Z][a-z]+\.?\s+)?[A-Z][a-z][\w'\u2019-]*(?:\s+[A-Z][a-z][\w'\u2019-]*)?")


def _unknown_name(word: str) -> bool:
    """A capitalised name that is no title, pronoun or function word ("Pink", "Mrs. Carey")."""
    if not _NAME_SHAPE.fullmatch(word):
        return False
    parts = [w.rstrip(".") for w in word.split()]
    return parts[-1] not in _NOT_TAG_NAMES and parts[0] not in _NOT_TAG_NAMES


#: Capitalised words that never name the subject of a tag (a name may be a common word: "said Good").
_NOT_TAG_NAMES = frozenset(
    """I A An The He She It They We You His Her Its Their Our My Your This That These Those There Here Then
    When Where What Why How Who Whom Which While But And Or So Yet If As At In On Of For By With From To Not
    No Yes Oh Ah Aw Well Now Just Only Even Still Once After Before Because Though Although Perhaps Maybe
    Mr Mrs Miss Ms Dr Sir Lady Lord Captain Lieutenant Chapter Part Book Ok Okay Hey Hi Hello Please Thank
    Thanks All Some Every Each Both Either Neither Any None One Two Three Do Does Did Is Are Was Were Be Been
    Have Has Had Will Would Could Should Can May Might Must Shall Don Didn Wasn Isn Aren Again Presently
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Nobody Everybody Everyone Nothing Everything
    Somebody Someone Silence""".split()
)


def _salient(cast: _Cast, pos: int, gender: str, avoid: Sequence[str]) -> str | None:
    """The character a pronoun of ``gender`` at ``pos`` most likely refers to: the latest subject
    of that gender in the narration before it, else the latest mention of that gender."""
    i = bisect.bisect_left(cast.starts, pos) - 1
    fallback: str | None = None
    while i >= 0 and pos - cast.mentions[i].start < 3000:
        m = cast.mentions[i]
        i -= 1
        c = m.character
        if not c or c in avoid or c == _NARRATOR or m.gender == "first":
            continue
        g = cast.gender.get(c, "unknown")
        if gender in ("he", "she") and g not in (gender, "unknown"):
            continue
        if m.nominative:
            return c
        fallback = fallback or c
    return fallback


def _first_subject(cast: _Cast, start: int, end: int, avoid: Sequence[str]) -> tuple[str | None, int]:
    """The first character that is a grammatical subject in the narration ``[start, end)``."""
    distinct: list[str] = []
    first: str | None = None
    for m in cast.in_range(start, end):
        if not m.nominative:
            continue
        cid = m.character
        if m.kind == "pronoun" and m.gender == "first":
            cid = cid or _NARRATOR
        elif m.kind == "pronoun" and cid in avoid:
            cid = _salient(cast, m.start, m.gender, avoid)
        if cid is None or cid in avoid:
            continue
        if first is None:
            first = cid
        if cid not in distinct:
            distinct.append(cid)
    return first, len(distinct)


def _verb_subject(cast: _Cast, text: str, start: int, end: int, avoid: Sequence[str]) -> str | None:
    """The subject of the speech verb ending the narration ``[start, end)``: the subject nearest
    before that verb ("Jack cracked his fingers and Father Arnall looked up and said:"), else
    the first subject (:func:`_first_subject`)."""
    # A clause ending in a speech verb gives the line to that verb's subject, not the clause's first.
    verb = _last_verb(text, start, end)
    if verb is not None:
        who, _n = _last_subject(cast, start, verb, avoid)
        if who is not None:
            return who
    return _first_subject(cast, start, end, avoid)[0]


#: Between a subject pronoun and its speech verb ("...the table she observed, ..."): that is the subject.
_ADVERB = r"(?:[a-z]+ly|often|once|always|never|just|also|then|now)\s+"
_JUST_ADVERBS = re.compile(
    rf"\s+(?:{_ADVERB})?(?:(?:had|has|have|would|could|did|will|was|were)\s+(?:{_ADVERB})?)?"
)
_CLAUSE_HEAD = re.compile(r"(?:^|[,;:.!?\u2014]\s*|\b(?:[Aa]nd|[Bb]ut|[Tt]hen|[Ss]o|[Nn]ow|that)\s+)$")


def _last_subject(cast: _Cast, start: int, end: int, avoid: Sequence[str]) -> tuple[str | None, int]:
    """The last character that is a grammatical subject in ``[start, end)`` (as :func:`_first_subject`)."""
    found = None
    for m in reversed(cast.in_range(start, end)):
        if not m.nominative:
            continue
        # A name right before the speech verb is its subject wherever it stands ("... Nasty Roche had asked:").
        close = _JUST_ADVERBS.fullmatch(cast.text, m.end, end) is not None
        if not close and not _CLAUSE_HEAD.search(cast.text, max(start, m.start - 12), m.start):
            continue  # an object ("beckoned Kronborg") or a subordinate clause's subject ("when he spoke")
        found = _first_subject(cast, m.start, m.end, avoid)[0]
        if found is not None:
            return found, 1
    return found, 0


def _vocatives(cast: _Cast, text: str, q: Quote) -> list[str]:
    """Characters a speech line names as its addressee ("Tommy, you're stony!", "...matta' Idzuru?")."""
    if not cast.alias_to_id:
        return []
    out: list[str] = []
    s, e = q.start_char, q.end_char
    inner = text[s:e].strip("\"'\u201c\u201d\u2018\u2019 \n\t")
    # "Bingley." / "Father Flynn.": a name as an answer calls nobody ("Captain?" / "Harry!" do)
    # A line that is only a name and a full stop ("Bingley.") answers a question; it calls nobody.
    whole = inner[:-1] if inner.endswith(".") else None
    for m in _names_in(cast, text, s, e):
        if m.group() == whole:
            continue
        lead = text[max(s + 1, m.start() - 12) : m.start()] if m.start() > s + 1 else ""
        tail = text[m.end() : min(e, m.end() + 3)]
        at_open = m.start() <= s + 1
        vocative = False
        if (at_open or lx.VOCATIVE_LEAD.search(lead)) and lx.VOCATIVE_TAIL.match(tail):
            vocative = True
        # "--and Fergus, what have you been doing?" calls Fergus (see ``lx.VOCATIVE_AFTER_AND``).
        elif lx.VOCATIVE_AFTER_AND.search(lead) and lx.VOCATIVE_TURN.match(text, m.end(), e):
            vocative = True  # "--and Fergus, what have you been doing?"
        elif tail[:1] in "?!" and not lx.NOT_VOCATIVE_BEFORE.search(text[max(s, m.start() - 12) : m.start()]):
            vocative = True  # "Does it matta' Idzuru?": no comma, but a name closing a question
        if vocative:
            cid = cast.alias_to_id.get(m.group()) or cast.alias_to_id[m.group().title()]
            if cid not in out:
                out.append(cid)
    return out


_CAPS = re.compile(r"\b[A-Z][\w'\u2019-]*\.?(?:\s+[A-Z][\w'\u2019-]*){0,3}")


@dataclass(frozen=True, slots=True)
class _Found:
    """A name found in a line (the parts of ``re.Match`` that _vocatives uses)."""

    s: int
    e: int
    name: str

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e

    def group(self) -> str:
        return self.name


def _names_in(cast: _Cast, text: str, s: int, e: int) -> list[_Found]:
    """Known names in ``text[s:e]``: the longest run of capitalised words that is an alias.

    Faster than one alternation of every alias: only capitalised runs are looked up.
    """
    out: list[_Found] = []
    for m in _CAPS.finditer(text, s, e):
        words = m.group().split()
        pos = m.start()
        while words:
            for n in range(len(words), 0, -1):
                cand = " ".join(words[:n]).rstrip(".")
                cid = cast.alias_to_id.get(cand)
                if cid is None and cand.isupper():  # "TOMMY, old thing!"
                    cid = cast.alias_to_id.get(cand.title())
                if cid is not None:
                    end = text.index(words[n - 1], pos) + len(words[n - 1].rstrip("."))
                    out.append(_Found(pos, end, cand))
                    break
            else:
                n = 1
            head = words[n - 1]
            pos = text.index(head, pos) + len(head)
            words = words[n:]
            if words:
                pos = text.index(words[0], pos)
    return out


# --- pass 1: explicit evidence --------------------------------------------------------------


@dataclass(slots=True)
class _Para:
    span: Paragraph
    quotes: list[int]  # indices into the quote list (quotes starting in this paragraph)


def _group(paras: Sequence[Paragraph], quotes: Sequence[Quote]) -> list[_Para]:
    starts = [p.start_char for p in paras]
    out = [_Para(p, []) for p in paras]
    for i, q in enumerate(quotes):
        k = bisect.bisect_right(starts, q.start_char) - 1
        if k >= 0:
            out[k].quotes.append(i)
    return out


def _tag_subject(m: re.Match[str]) -> tuple[int, int]:
    g = "subj1" if m.group("subj1") else "subj2"
    return m.start(g), m.end(g)


def _explicit(story: Story, cast: _Cast, paras: list[_Para], quotes: list[Quote]) -> list[_Evidence]:
    text = story.text
    ev = [_Evidence() for _ in quotes]
    para_ends = [p.span.end_char for p in paras]
    recent: list[_Turnback] = []
    for k, para in enumerate(paras):
        if k > 0:
            before = [i for i in paras[k - 1].quotes if quotes[i].kind == "speech"]
            if before:
                recent.append(_Turnback(k - 1, ev[before[-1]].speaker, ev[before[-1]].vocatives))
            if recent and k - recent[-1].para > EXCHANGE_GAP + 1:
                recent.clear()
        idx = para.quotes
        if not idx:
            continue
        p = para.span
        speech = [i for i in idx if quotes[i].kind == "speech"]
        for i in speech:
            ev[i].vocatives = tuple(_vocatives(cast, text, quotes[i]))
        # tags
        for j, i in enumerate(idx):
            q = quotes[i]
            if q.kind != "speech":
                continue
            avoid = ev[i].vocatives
            end_para = bisect.bisect_left(para_ends, q.end_char)
            hi = para_ends[end_para] if end_para < len(paras) else p.end_char
            nxt = quotes[idx[j + 1]].start_char if j + 1 < len(idx) else hi
            lo = quotes[idx[j - 1]].end_char if j > 0 else p.start_char
            cid, method, group = None, "tag-after", None
            heard = _heard_say(cast, text, q, lo, nxt, avoid)
            if heard is not None:
                ev[i].update(speaker=heard, confidence=0.85, method="tag-heard", explicit=True)
                continue
            m = lx.TAG_AFTER.match(text, q.end_char, min(nxt, q.end_char + 120)) if _has_verb(
                text, q.end_char, min(nxt, q.end_char + 120)
            ) else None
            verb_at = _last_verb(text, max(lo, q.start_char - 160), q.start_char) if q.start_char > lo else None
            if m is None and j > 0 and ev[idx[j - 1]].method == "tag-after" and _split_quote(text, lo, q.start_char):
                # '"...," said my sister-in-law, who often speaks on a platform, "..."': one line, one tag
                ev[i].update(speaker=ev[idx[j - 1]].speaker, confidence=0.9, method="tag-inside", explicit=True)
                continue
            before_has_verb = verb_at is not None
            if m is None and verb_at is not None:
                # the subject comes at most a title and three names before the verb
                m = lx.TAG_BEFORE.search(text, max(lo, verb_at - 45), q.start_char)
                method = "tag-before"
            if m is not None:
                verb = m.group("verb1") or m.group("verb2") or ""
                if lx.THOUGHT_VERB.fullmatch(verb.split()[0]):
                    continue
                s0, e0 = _tag_subject(m)
                if m.group("subj1") and lx.object_before(text, s0):
                    cid = None  # "held the ladder for her without being asked": not a subject
                else:
                    here = tuple(dict.fromkeys(ev[x].speaker for x in idx[:j] if ev[x].speaker and ev[x].explicit))
                    beat = paras[k - 1].span if k > 0 and not paras[k - 1].quotes and j == 0 else None
                    ctx = (p.start_char, k, recent[-3:], here, verb, (lo, q.start_char), beat)
                    cid = _subject_character(cast, text, s0, e0, avoid, ctx)  # type: ignore[arg-type]
                group = lx.GROUP_ADDRESS.search(text, m.start(), min(m.end() + 30, nxt))
                # "she whispered to the nurse": the one a tag names as spoken to is the addressee and the other party.
                to = lx.TAG_ADDRESSEE.match(text, m.end(), min(m.end() + 60, nxt))
                if to is not None and cid is not None and not group:
                    # '"Is it a boy?" she whispered to the nurse': the nurse is spoken to, and answers
                    heard = _subject_character(cast, text, *to.span("obj"), (*avoid, cid))
                    if heard is not None and heard != cid:
                        ev[i].addressees = (heard,)
            conf = 0.95
            if cid is None and before_has_verb:
                # "Then Ilse turned to the window and said: ": a speech verb in the clause before the line
                head = _sentence_start(text, lo, q.start_char - 1)
                clause = text[head : q.start_char].rstrip()
                if clause[-1:] in ",:" and (
                    # "... by leaning towards him and remarking:": a speech verb in -ing ends a clause
                    # introducing a line.
                    lx.SPEECH_VERB_WORD.search(clause) or lx.SPEECH_ING_WORD.search(clause)
                ):
                    cid, method, conf = _verb_subject(cast, text, head, q.start_char, avoid), "tag-before", 0.85
                    # A voice heard at the end of the narration before a line ("He heard Henrietta Watkin's voice.") is
                    # its speaker's; a voice of nobody named ("Then a voice spoke.") gives the beat to nobody.
                    voice = lx.VOICE_OF.search(text, head, q.start_char)
                    if voice is not None and (voice.group("subj") or voice.group("subj2")):
                        # "above all rose the voice of the clever lady, crying:"
                        g = "subj" if voice.group("subj") else "subj2"
                        cid = _subject_character(cast, text, *voice.span(g), avoid) or cid
                    group = lx.GROUP_ADDRESS.search(clause)
                    opening = lx.CLAUSE_SUBJECT.match(text, head, q.start_char) if cid is None else None
                    if opening is not None:  # "The oldest of the colts raised his head ... and said, "
                        cid = _subject_character(cast, text, opening.start("subj"), opening.end("subj"), avoid)
            if cid is not None:
                ev[i].update(speaker=cid, confidence=conf, method=method, explicit=True)
                if method == "tag-before" and j == 0 and _remembered_tag(text, lo, q.start_char):
                    # "He had told her once, '...'": the tag itself frames a memory
                    ev[i].update(method="remembered", remembered=True, explicit=False)
                if group:
                    ev[i].addressees = ("*group*",)
        # lines without a tag in a paragraph with a tagged line: the same speaker goes on
        tagged = [i for i in speech if ev[i].speaker]
        for i in speech:
            if ev[i].speaker is not None:
                continue
            src = _nearest_tagged(quotes, i, tagged)
            if src is not None and ev[src].speaker in ev[i].vocatives:
                continue  # a line naming the tagged speaker as its addressee is the other party's
            if src is not None and src > i and quotes[i].start_char > p.start_char:
                # narration opening the paragraph before the line: its subject, when another, is a beat
                who = _first_subject(cast, p.start_char, quotes[i].start_char, ev[i].vocatives)[0]
                if who is not None and who != ev[src].speaker:
                    ev[i].update(speaker=who, confidence=0.7, method="beat")
                    continue
            if src is not None and not _other_subject_between(
                cast, quotes, i, src, ev[src].speaker, ev[i].vocatives
            ):
                ev[i].update(speaker=ev[src].speaker, confidence=0.9, method="tag-inside", explicit=True)
        if any(ev[i].speaker for i in speech):
            continue
        # beats: a subject in the sentence next to the line, elsewhere in the paragraph's narration,
        # or ending a previous paragraph that ends in "," / ":"
        pieces = _narration(quotes, idx, p)
        for j, i in enumerate(idx):
            q = quotes[i]
            if q.kind != "speech":
                continue
            avoid = ev[i].vocatives
            lo = quotes[idx[j - 1]].end_char if j > 0 else p.start_char
            hi = quotes[idx[j + 1]].start_char if j + 1 < len(idx) else p.end_char
            near: list[tuple[int, int]] = []
            if text[lo : q.start_char].strip():
                near.append((_sentence_start(text, lo, q.start_char - 1), q.start_char))
            if text[q.end_char : hi].strip():
                cut = _first_sentence_end(text, q.end_char, hi)
                near.append((q.end_char, cut.end() if cut else hi))
            best: tuple[str | None, int] = (None, 0)
            after = False
            for a, b in (*near, *pieces):
                # A beat after a line that reacts to it as a listener ("Philip did not know what she meant.") is
                # no beat of its speaker.
                if a >= q.end_char and lx.LISTENER_REACTION.search(text, a, b):
                    # "Philip did not know what she meant.": the listener, not the speaker
                    heard = _first_subject(cast, a, b, avoid)[0]
                    if heard and not ev[i].addressees:
                        ev[i].addressees = (heard,)
                    continue
                # A beat right before a line whose subject watches someone ("I can see Douglas there before the
                # fire, looking down at his interlocutor."): the one watched speaks, not the watcher.
                watched = _watched(cast, text, a, b, avoid) if b == q.start_char else None
                best = (watched, 1) if watched else _first_subject(cast, a, b, avoid)
                if best[0]:
                    after = a >= q.end_char
                    break
            # A beat whose subject nobody resolved ("Her brother shrugged.", "Ginny looked up."): its speaker.
            if best[0] is None:
                for a, b in near:
                    who = _opening_subject(cast, text, a, b, avoid)
                    if who is not None:
                        best, after = (who, 1), a >= q.end_char
                        break
            if best[0]:
                # narration after a line may be the listener reacting: less sure than before it
                conf = (0.75 if best[1] == 1 else 0.6) - (0.1 if after else 0.0)
                ev[i].update(speaker=best[0], confidence=conf, method="beat")
                continue
            prev = paras[k - 1].span if k > 0 and not paras[k - 1].quotes else None
            opens_paragraph = quotes[idx[0]].start_char == p.start_char
            if prev is not None and text[prev.end_char - 1] in ",:\u2014\u2013-" and opens_paragraph:
                last_sentence = _sentence_start(text, prev.start_char, prev.end_char - 1)
                who = _verb_subject(cast, text, last_sentence, prev.end_char, avoid)
                if who:
                    ev[i].update(speaker=who, confidence=0.85, method="beat-prev")
        # memory frame in the narration right before the first line
        first = idx[0]
        if quotes[first].kind == "speech":
            _memory(story, cast, paras, k, quotes, first, ev)
    return ev


_STRIP = "\"'\u201c\u201d\u2018\u2019,.;:!?()\u2014\u2013-_*~"


_BEAT_OPENING = re.compile(
    rf"(?P<subj>{lx.NAME}|{lx.NOMINAL})\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|(?!(?:this|was|has|does|is|its|yes|us|thus|as|less|unless)\b)[a-z]{2,}[^s'\W]s|{lx.BEAT_VERBS})\b"
    r"(?!\s+(?:to|by)\b)"
)
_WATCHES = re.compile(
    r"\b(?:I|he|she|we)\s+(?:can\s+|could\s+)?(?:still\s+)?(?:see|saw|watched|noticed|observed)\s+(?=[A-Z])"
)


def _watched(cast: _Cast, text: str, start: int, end: int, avoid: Sequence[str]) -> str | None:
    """The named character a watcher in the narration ``[start, end)`` looks at ("I saw Douglas"),
    if they are the object of that sentence's first verb of seeing."""
    m = _WATCHES.search(text, start, end)
    if m is None:
        return None
    for found in cast.in_range(m.end(), min(end, m.end() + 40)):
        if found.start == m.end() and found.kind != "pronoun" and found.character and found.character not in avoid:
            return found.character
    return None


_BODY = frozenset("eyes eye face voice hand hands heart head gaze lips mouth glance brow cheeks fingers".split())


def _opening_subject(cast: _Cast, text: str, start: int, end: int, avoid: Sequence[str]) -> str | None:
    """The character a sentence of narration ``[start, end)`` opens on when the cast knows none
    there: a description or a name followed by a verb ("Her brother shrugged.") becomes a
    character of its own, as a tag's subject does (:func:`_subject_character`)."""
    m = _BEAT_OPENING.match(text, start + len(text[start:end]) - len(text[start:end].lstrip()), end)
    if m is None:
        return None
    s0, e0 = m.span("subj")
    word = text[s0:e0]
    if " " not in word and not _unknown_name(word):
        return None
    words = word.lower().split()
    det, noun = words[0], words[-1]
    if noun in _BODY and det in ("his", "her"):
        # "Her eyes met his.": the one whose eyes they are
        return _salient(cast, s0, "he" if det == "his" else "she", avoid)
    return _subject_character(cast, text, s0, e0, avoid)


def _remembered_tag(text: str, lo: int, start: int) -> bool:
    """Does the sentence ending at the line ``start`` frame it as a memory ("He had told her once,")?

    >>> _remembered_tag("Rain fell. He had told her once, ", 0, 33), _remembered_tag("He said, ", 0, 9)
    (True, False)
    """
    head = _sentence_start(text, lo, start - 1)
    return lx.MEMORY_FRAME.search(text, head, start) is not None


def _split_quote(text: str, start: int, end: int) -> bool:
    """Is the narration ``text[start:end]`` between two quotes one tag splitting a line: no sentence
    ends in it, and it ends with a comma or dash?"""
    gap = text[start:end].rstrip()
    return gap[-1:] in (",", "\u2014", "-") and _first_sentence_end(text, start, end) is None


def _has_verb(text: str, start: int, end: int) -> bool:
    """A cheap test before the tag patterns: does ``text[start:end]`` hold a speech verb at all?"""
    if any(w.strip(_STRIP).lower() in lx.SPEECH_VERB_SET for w in text[start:end].split()):
        return True
    return lx.PHRASAL_VERB.search(text, start, end) is not None


_WORD_AT = re.compile(r"[A-Za-z]+")


def _last_verb(text: str, start: int, end: int) -> int | None:
    """Where the last speech verb in ``text[start:end]`` starts (None when there is none)."""
    found = None
    for m in _WORD_AT.finditer(text, start, end):
        w = m.group().lower()
        if w in lx.SPEECH_VERB_SET or w in lx.SPEECH_ING:
            found = m.start()
    return found


def _heard_say(cast: _Cast, text: str, q: Quote, lo: int, hi: int, avoid: Sequence[str]) -> str | None:
    """The speaker of a line framed as heard: ``"...," Mary heard her say`` gives the one heard."""
    for a, b in ((q.end_char, min(hi, q.end_char + 80)), (max(lo, q.start_char - 100), q.start_char)):
        m = lx.HEARD_SAY.search(text, a, b)
        if m is None:
            continue
        hearers = [x.character for x in cast.in_range(max(lo, m.start() - 40), m.start()) if x.character]
        s, e = m.span("subj")
        word = text[s:e].lower()
        if word in ("her", "him"):
            return _salient(cast, s, "she" if word == "her" else "he", (*avoid, *hearers))
        return _subject_character(cast, text, s, e, (*avoid, *hearers))
    return None


def _narration(quotes: list[Quote], idx: list[int], p: Paragraph) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = p.start_char
    for i in idx:
        q = quotes[i]
        if q.start_char > pos:
            out.append((pos, q.start_char))
        pos = max(pos, q.end_char)
    if pos < p.end_char:
        out.append((pos, p.end_char))
    return out


def _nearest_tagged(quotes: list[Quote], i: int, tagged: list[int]) -> int | None:
    if not tagged:
        return None
    before = [t for t in tagged if t < i]
    return before[-1] if before else tagged[0]


def _other_subject_between(
    cast: _Cast, quotes: list[Quote], i: int, j: int, speaker: str | None, avoid: Sequence[str]
) -> bool:
    a, b = sorted((i, j))
    lo, hi = quotes[a].end_char, quotes[b].start_char
    for m in cast.in_range(lo, hi):
        if m.nominative and m.character and m.character != speaker and m.character not in avoid:
            return True
    return False


def _memory(
    story: Story, cast: _Cast, paras: list[_Para], k: int, quotes: list[Quote], i: int, ev: list[_Evidence]
) -> None:
    """A memory frame right before line ``i`` ("that's what Gin had told him") makes it remembered."""
    text = story.text
    q = quotes[i]
    p = paras[k].span
    windows: list[tuple[int, int]] = []
    if q.start_char > p.start_char:
        windows.append((_sentence_start(text, p.start_char, q.start_char), q.start_char))
    elif k > 0 and not paras[k - 1].quotes and text[paras[k - 1].span.end_char - 1] not in ",:\u2014\u2013-":
        # a frame ending in "," or ":" introduces present speech ("as he had said at dinner,")
        prev = paras[k - 1].span
        windows.append((_sentence_start(text, prev.start_char, prev.end_char - 1), prev.end_char))
    nxt = next((quotes[j].start_char for j in paras[k].quotes if quotes[j].start_char > q.start_char), p.end_char)
    if text[q.end_char : nxt].strip():  # a frame right after: '"...." That was what her mother had told her'
        cut = _first_sentence_end(text, q.end_char, nxt)
        windows.append((q.end_char, cut.end() if cut else nxt))
    m = None
    for lo, hi in windows:
        m = lx.MEMORY_FRAME.search(text, lo, hi)
        if m is not None:
            break
    if m is None:
        return
    who = None
    subj = lx.FRAME_SUBJECT.search(text, lo, m.start())
    if subj is not None:
        who = _subject_character(cast, text, subj.start("subj"), subj.end("subj"), ())
    for x in reversed([x for x in cast.in_range(lo, m.start()) if x.character or x.kind == "pronoun"]):
        if who:
            break
        who = x.character or (_salient(cast, x.start, x.gender, ()) if x.kind == "pronoun" else None)
    if who is None:
        return
    objs = [x.character for x in cast.in_range(m.end(), hi) if x.character and x.character != who]
    addressees = tuple(objs[:1]) or ev[i].addressees
    ev[i].update(speaker=who, confidence=0.8, method="remembered", remembered=True, addressees=addressees)


# --- passes 2 and 3 ---------------------------------------------------------------------------


def _profiles(text: str, quotes: list[Quote], ev: list[_Evidence]) -> dict[str, VoiceProfile]:
    """Voice profiles from the lines pass 1 attributed surely (at most VOICE_TRAIN_LINES each)."""
    out: dict[str, VoiceProfile] = {}
    for q, e in zip(quotes, ev, strict=True):
        if q.kind == "speech" and e.speaker and e.confidence >= VOICE_TRAIN_CONFIDENCE:
            p = out.setdefault(e.speaker, VoiceProfile(e.speaker))
            if p.lines < VOICE_TRAIN_LINES:
                p.add(voice_features(text[q.start_char : q.end_char]))
    return out


def _present(cast: _Cast, pos: int, window: int = 2500) -> list[str]:
    """Characters named in the narration shortly before ``pos`` in its scene, most recent first."""
    i = bisect.bisect_left(cast.starts, pos) - 1
    out: list[str] = []
    # Scene breaks and chapters end exchanges; presence and addressees stay within a scene.
    lo = max(pos - window, cast.scene_start(pos))
    while i >= 0 and cast.mentions[i].start >= lo:
        c = cast.mentions[i].character
        if c and c not in out:
            out.append(c)
        i -= 1
    return out


def _extras_present(cast: _Cast, pos: int, window: int = 2500) -> list[str]:
    """The characters this stage added ("her brother", "Ginny") seen shortly before ``pos`` in its scene."""
    lo = max(pos - window, cast.scene_start(pos))
    return [
        c
        for c, (_name, spans) in cast.extra.items()
        if cast.gender.get(c) != "indefinite" and any(lo <= a < pos for a, _b in spans)
    ]


@dataclass(slots=True)
class _Turn:
    """One paragraph of an exchange: its speech lines and who speaks it."""

    para: int
    lines: list[int]
    speaker: str | None = None
    anchored: bool = False  # the speaker comes from explicit evidence, not a guess
    confidence: float = 0.0
    remembered: bool = False  # a memory framed in pass 1: not part of the present exchange
    last: str | None = None  # who speaks the paragraph's last line (another when a second tag names one)


def _exchanges(paras: list[_Para], quotes: list[Quote], breaks: Sequence[int] = ()) -> list[list[_Turn]]:
    """Speech paragraphs grouped into exchanges: a run with at most EXCHANGE_GAP narration paragraphs
    between and no scene break (``breaks``: where they start)."""
    out: list[list[_Turn]] = []
    gap = EXCHANGE_GAP + 1
    last = -1
    for k, para in enumerate(paras):
        speech = [i for i in para.quotes if quotes[i].kind == "speech"]
        if not speech:
            gap += 1
            continue
        here = para.span.start_char
        if gap > EXCHANGE_GAP or not out or bisect.bisect_right(breaks, here) != bisect.bisect_right(breaks, last):
            out.append([])
        last = here
        out[-1].append(_Turn(k, speech))
        gap = 0
    return out


#: The other party of a speaker may be a character named as the subject of the narration
#: between the lines of an exchange (1: narration paragraphs only; 2: beats too; 0: off).
PARTNER_FROM_NARRATION = 1


def _partner(
    turns: list[_Turn],
    t: int,
    ev: list[_Evidence],
    cast: _Cast,
    pos: int,
    me: str | None = None,
    paras: Sequence[_Para] | None = None,
) -> str | None:
    """The other party of ``me`` (default: the speaker of turn ``t``): the other speaker of the
    same paragraph, whom they address by name, else the nearest turn by someone else, else the
    character named nearest before ``pos``."""
    me = me or turns[t].speaker
    for i in turns[t].lines:  # another speaker in the same paragraph is the other party
        if ev[i].speaker and ev[i].speaker != me and not ev[i].remembered:
            return ev[i].speaker
    for i in turns[t].lines:  # whom they address by name, or a tag says they speak to, is the other party
        if ev[i].speaker not in (None, me):
            continue
        for c in (*ev[i].vocatives, *ev[i].addressees):
            if c != me and c != "*group*":
                return c
    # ... but first the speaker of the paragraph right before, the one they answer ("What is his name?"
    # after "Why, my dear, you must know ..." goes back to whoever spoke before that).
    if t > 0:
        prev = turns[t - 1]
        if prev.speaker and prev.speaker != me and not prev.remembered and prev.para == turns[t].para - 1:
            return prev.last or prev.speaker
    if PARTNER_FROM_NARRATION and paras is not None:
        # the nearest other party: a tagged speaker, or a character named as the subject of the
        # narration between the lines ("Mr. Bennet made no answer.")
        best: tuple[int, str] | None = None
        for u, turn in enumerate(turns):
            if turn.speaker != me and turn.anchored and not turn.remembered and turn.speaker:
                d = abs(turn.para - turns[t].para) * 2 + (u > t)
                if best is None or d < best[0]:
                    best = (d, turn.speaker)
        lo, hi = turns[0].para, turns[-1].para
        for k in range(max(lo, turns[t].para - 4), min(hi, turns[t].para + 4) + 1):
            if paras[k].quotes and PARTNER_FROM_NARRATION == 1:
                continue
            span = paras[k].span
            for m in cast.in_range(span.start_char, span.end_char):
                if m.nominative and m.kind != "pronoun" and m.character and m.character != me:
                    d = abs(k - turns[t].para) * 2 + (k > turns[t].para)
                    if best is None or d < best[0]:
                        best = (d, m.character)
                    break
        if best is not None:
            return best[1]
    for d in range(1, len(turns)):
        for u in (t - d, t + d):
            if 0 <= u < len(turns) and turns[u].speaker != me and turns[u].anchored and not turns[u].remembered:
                return turns[u].speaker
    for d in range(1, len(turns)):
        for u in (t - d, t + d):
            if 0 <= u < len(turns) and turns[u].speaker and turns[u].speaker != me and not turns[u].remembered:
                return turns[u].speaker
    return next((c for c in _present(cast, pos) if c != me), None)


def _implicit(story: Story, cast: _Cast, paras: list[_Para], quotes: list[Quote], ev: list[_Evidence]) -> None:
    """Turn-taking, vocatives and voice for the lines pass 1 left open; addressees for all."""
    text = story.text
    profiles = _profiles(text, quotes, ev)
    dialect = {c for c, p in profiles.items() if p.dialect_rate() > 0.15 and p.words() >= 8}
    voices = VoiceModel(profiles.values())
    tagged = {e.speaker for e in ev if e.explicit and e.speaker}
    memory: str | None = None
    for turns in _exchanges(paras, quotes, cast.breaks):
        for turn in turns:
            # A quote nested inside another ("'This account of you ...'" read out within a line) never
            # anchors the turn of the line around it.
            known = [ev[i] for i in turn.lines if ev[i].speaker and not quotes[i].nested]
            if known:
                turn.speaker, turn.anchored, turn.confidence = known[0].speaker, True, known[0].confidence
                turn.last = known[-1].speaker if ev[turn.lines[-1]].speaker else None
                turn.remembered = all(ev[i].remembered for i in turn.lines)
        for t, turn in enumerate(turns):
            lines = turn.lines
            if turn.speaker is None and t > 0:
                # speech running on over paragraphs: the previous paragraph's line never closed
                prev = turns[t - 1]
                last_q = quotes[prev.lines[-1]]
                who = prev.last or prev.speaker
                if who and prev.para == turn.para - 1 and not last_q.closed:
                    first_q = quotes[lines[0]]
                    if first_q.start_char == paras[turn.para].span.start_char:
                        ev[lines[0]].update(speaker=who, confidence=0.85, method="continued")
                        turn.speaker, turn.anchored, turn.confidence = who, True, 0.85
            if turn.speaker is None:
                first = lines[0]
                pb = _previous_beat(text, cast, paras, turn.para, quotes[first], ev[first].vocatives)
                done: tuple[str, ...] = ()
                # A narration paragraph right before a line that reports its subject's speech ("Lucy mumbled that
                # ...") is a turn of theirs: the line is not theirs but an answer.
                if pb and _reported_before(text, paras, turn.para):
                    # "Lucy mumbled that those seemed very odd people.": her turn is over; the line answers
                    done, pb = (pb,), None
                # Narration after the last line of the paragraph before saying someone else made no answer is a
                # silent turn of theirs: the speaker before goes on.
                elif t > 0 and turns[t - 1].para == turn.para - 1:
                    # '"Mother gave it to me," said Ogden. Mr. Pett grunted, but made no verbal comment.'
                    silent = _silent_listener(cast, text, paras, quotes, turns[t - 1])
                    if silent is not None and silent != (turns[t - 1].last or turns[t - 1].speaker):
                        done = (silent,)
                # A narration paragraph between two speech paragraphs whose first sentence is a silent answer
                # ("I shook my head.", "He made no answer.") is a turn of its subject: the speaker before goes on.
                elif t > 0 and turns[t - 1].para == turn.para - 2:
                    # "'What do you think?' asked Sir Henry. / I shook my head. / '...'": Sir Henry goes on
                    silent = _silent_paragraph(cast, text, paras[turn.para - 1])
                    if silent is not None and silent != (turns[t - 1].last or turns[t - 1].speaker):
                        done, pb = (silent,), None
                # A voice of nobody named ending the narration paragraph before a line ("Then a voice spoke.") is
                # not the voice of that paragraph's subject, the one who hears it.
                hearer = _voice_hearer(text, cast, paras, turn.para) if not done else None
                ev[first] = _guess(
                    cast, quotes[first], ev[first], text, voices, dialect, turns, t, ev, memory, pb, paras, quotes,
                    tagged, done or ((hearer,) if hearer else ()), answers=bool(done),
                )
                turn.speaker = ev[first].speaker
            for n, i in enumerate(lines[1:], start=1):
                e, prior = ev[i], ev[lines[n - 1]]
                if e.speaker is None and prior.speaker and prior.speaker not in e.vocatives:
                    method = "tag-inside" if prior.method in ("tag-after", "tag-before") else prior.method
                    e.update(
                        speaker=prior.speaker,
                        confidence=max(0.5, prior.confidence - 0.1),
                        method=method,
                        remembered=prior.remembered,
                    )
            turn.last = ev[lines[-1]].speaker or turn.speaker
            last = ev[lines[-1]]
            if last.remembered and last.speaker:
                memory = last.speaker
                if _end_memory_on_presence(text, paras, turn.para, lines, ev):
                    memory = None
            elif memory and last.speaker != memory:
                memory = None
        # Untagged turns between two anchored turns of a strict back-and-forth (consecutive paragraphs;
        # two parties: the turn before the first anchor is the other party's, and the parity of the steps
        # agrees with both anchors) alternate between the two, whatever a wrong guess before them set off
        # or a name inside them suggests ("Dorian Gray? Is that his name?" / "Yes, that is his name.").
        _realign(turns, ev)
    _addressees(cast, paras, quotes, ev)


_REALIGNABLE = frozenset(("turn-taking", "salience"))


def _realign(turns: list[_Turn], ev: list[_Evidence]) -> None:
    """Re-decide the guessed turns between two anchors by parity from both ends (see the
    comment where it is called)."""
    anchors = [u for u, turn in enumerate(turns) if turn.anchored and not turn.remembered]
    for a, b in itertools.pairwise(anchors):
        if b - a < 2 or a == 0:
            continue
        x, y, z = turns[a].last or turns[a].speaker, turns[b].speaker, turns[a - 1].speaker
        if not x or not y or turns[b].para - turns[a].para != b - a or (x == y) != ((b - a) % 2 == 0):
            continue
        # two parties only: the turn before the first anchor is the other party's
        other = y if x != y else z
        if not z or z == x or z != other:
            continue
        y = other
        between = [i for u in range(a + 1, b) for i in turns[u].lines]
        if any(ev[i].method not in _REALIGNABLE or y in ev[i].vocatives or x in ev[i].vocatives for i in between):
            continue
        for u in range(a + 1, b):
            want = x if (u - a) % 2 == 0 else y
            for i in turns[u].lines:
                if ev[i].speaker != want:
                    ev[i].update(speaker=want)
            turns[u].speaker = turns[u].last = want


def _silent_listener(cast: _Cast, text: str, paras: list[_Para], quotes: list[Quote], turn: _Turn) -> str | None:
    """The subject of narration after a turn's last line that says they made no answer."""
    end = quotes[turn.lines[-1]].end_char
    hi = paras[turn.para].span.end_char
    found = lx.SILENT.search(text, end, hi)
    if found is None:
        return None
    head = _sentence_start(text, end, found.start())
    return _first_subject(cast, head, found.start(), ())[0]


_SILENT_GESTURE = re.compile(r"\b(?:shook\s+(?:his|her|my)\s+head|nodded|shrugged)\b")


def _silent_paragraph(cast: _Cast, text: str, para: _Para) -> str | None:
    """The subject of a narration paragraph whose first sentence answers without words."""
    if para.quotes:
        return None
    span = para.span
    cut = _first_sentence_end(text, span.start_char, span.end_char)
    if cut is None or not text[cut.end() : span.end_char].strip():
        return None  # "Tommy nodded." alone: a beat of the next line, often its speaker's
    end = cut.end()
    found = lx.SILENT.search(text, span.start_char, end) or _SILENT_GESTURE.search(text, span.start_char, end)
    if found is None:
        return None
    return _first_subject(cast, span.start_char, found.start(), ())[0]


def _voice_hearer(text: str, cast: _Cast, paras: list[_Para], k: int) -> str | None:
    """The subject of the narration paragraph before paragraph ``k`` when it ends on a voice of nobody named."""
    if k == 0 or paras[k - 1].quotes:
        return None
    prev = paras[k - 1].span
    head = _sentence_start(text, prev.start_char, prev.end_char - 1)
    voice = lx.VOICE_OF.search(text, head, prev.end_char)
    if voice is None or voice.group("subj") or voice.group("subj2"):
        return None
    return _first_subject(cast, prev.start_char, head, ())[0]


def _reported_before(text: str, paras: list[_Para], k: int) -> bool:
    """Whether the last sentence of the narration paragraph before paragraph ``k`` reports speech."""
    prev = paras[k - 1].span
    head = _sentence_start(text, prev.start_char, prev.end_char - 1)
    return lx.REPORTED_SPEECH.search(text, head, prev.end_char) is not None


def _previous_beat(
    text: str, cast: _Cast, paras: list[_Para], k: int, q: Quote, avoid: Sequence[str]
) -> str | None:
    """The subject of a short narration paragraph right before a line that stands alone."""
    if k == 0 or paras[k - 1].quotes or q.start_char != paras[k].span.start_char:
        return None
    prev = paras[k - 1].span
    last_sentence = _sentence_start(text, prev.start_char, prev.end_char - 1)
    voice = lx.VOICE_OF.search(text, last_sentence, prev.end_char)
    if voice is not None:
        # "He heard Henrietta Watkin's voice." / "Then a voice spoke.": the voice speaks next
        g = "subj" if voice.group("subj") else "subj2" if voice.group("subj2") else None
        return _subject_character(cast, text, *voice.span(g), avoid) if g else None
    if prev.end_char - prev.start_char > 400:
        return None
    return _first_subject(cast, last_sentence, prev.end_char, avoid)[0]


def _guess(
    cast: _Cast,
    q: Quote,
    e: _Evidence,
    text: str,
    voices: VoiceModel,
    dialect: set[str],
    turns: list[_Turn],
    t: int,
    ev: list[_Evidence],
    memory: str | None,
    prev_beat: str | None = None,
    paras: Sequence[_Para] = (),
    quotes: Sequence[Quote] = (),
    tagged: Collection[str] = (),
    exclude: Collection[str] = (),
    answers: bool = True,
) -> _Evidence:
    """Score every candidate for an untagged line with :func:`fabula.attribution.ranker.score` and take the best."""
    feats: dict[str, dict[str, float]] = {}

    def add(c: str | None, name: str, value: float = 1.0) -> None:
        if not c or c in e.vocatives or c in exclude:
            return
        f = feats.setdefault(c, {})
        f[name] = f.get(name, 0.0) + value

    # turn-taking from the nearest speaker before and after (anchors weigh more than guesses)
    before = next((u for u in range(t - 1, -1, -1) if turns[u].speaker and not turns[u].remembered), None)
    after = next((u for u in range(t + 1, len(turns)) if turns[u].anchored and not turns[u].remembered), None)
    for u, side in ((before, "before"), (after, "after")):
        if u is None:
            continue
        # Turn-taking does not run back from a later turn across the entrance of its speaker.
        if side == "after" and paras:
            # a third character entering ("Mrs. Weasley sighed. "Both of you, upstairs."") starts a
            # new run: alternation does not run back across the entrance
            entered = cast.enters.get(turns[u].speaker or "", -1)
            if paras[turns[u].para].span.start_char <= entered < quotes[turns[u].lines[0]].start_char:
                continue
        if (
            side == "after"
            # A line running on from the speech paragraph right before it takes no alternation from a later
            # tagged turn across narration (a narration paragraph between breaks the strict back-and-forth).
            and before is not None
            and turns[t].para - turns[before].para == t - before
            and (not paras or quotes[turns[before].lines[0]].start_char == paras[turns[before].para].span.start_char)
            and turns[u].para - turns[t].para > u - t
        ):
            continue  # running on from the turn before: alternation does not run back across narration
        d = abs(t - u)
        w = 0.9 ** (d - 1) * (turns[u].confidence if turns[u].anchored else 0.6)
        # alternation runs on from the last speaker of a paragraph before, the first one after
        me = (turns[u].last or turns[u].speaker) if side == "before" else turns[u].speaker
        who = me if d % 2 == 0 else _partner(turns, u, ev, cast, q.start_char, me, paras)
        add(who, f"turn_{side}", w)
        add(who, f"turn_{side}_{'near' if d <= 2 else 'far'}")
    if exclude and answers and t > 0:
        # a turn reported in the narration between: the line answers it, as the speaker before it
        add(turns[t - 1].last or turns[t - 1].speaker, "turn_before", 0.9)
    if t > 0:
        for c in ev[turns[t - 1].lines[-1]].vocatives:
            add(c, "vocative_answer")
        add(turns[t - 1].speaker, "previous_speaker")
        if quotes and _wanted("named_in_previous_line"):
            last = quotes[turns[t - 1].lines[-1]]
            for name in _names_in(cast, text, last.start_char, last.end_char):
                add(cast.alias_to_id.get(name.group()), "named_in_previous_line")
    if t > 1:
        add(turns[t - 2].speaker, "speaker_two_back")
    if memory:
        add(memory, "memory")
    if prev_beat:
        add(prev_beat, "beat_prev")
    present = _present(cast, q.start_char)
    for rank, c in enumerate(present[:6]):
        add(c, f"salience_{min(rank, 4)}")
    if paras and (_wanted("named_subject_here") or _wanted("named_previous_paragraph")):
        k = turns[t].para
        here = paras[k].span
        for m in cast.in_range(here.start_char, here.end_char):
            if m.character and m.nominative and m.kind != "pronoun":
                add(m.character, "named_subject_here")
        if k > 0:
            prev = paras[k - 1].span
            for c in {m.character for m in cast.in_range(prev.start_char, prev.end_char) if m.character}:
                add(c, "named_previous_paragraph")
    for c, f in feats.items():
        if c == _NARRATOR or c in cast.first_person:
            f["first_person"] = 1.0
        if c not in tagged:
            f["never_tagged"] = 1.0  # nobody a tag in the story names as speaking
        if "turn_before" in f and "turn_after" in f:
            f["turn_agree"] = 1.0
    cands = list(feats)
    sure_voice = None  # eye dialect all but certain: the method is "voice" whatever else counts
    voiced = [c for c in cands if c in voices.profiles]
    if len(voiced) >= 2 or (voiced and dialect):
        kind = "voice_dialect" if dialect & set(voiced) else "voice_plain"
        ranked = voices.rank(voice_features(text[q.start_char : q.end_char]), voiced)
        for c, post in ranked:
            feats[c][kind] = post - 1.0 / len(ranked)
            if post > 0.8 and kind == "voice_dialect":
                sure_voice = c
    if not feats:
        return e
    if FEATURE_SINK is not None:
        FEATURE_SINK.append(("line", q.start_char, q.end_char, {c: dict(f) for c, f in feats.items()}))
    probs = ranker.score(feats)
    best = max(probs, key=lambda c: probs[c])
    conf = probs[best]
    if conf < MIN_CONFIDENCE:
        return e
    f = feats[best]
    method = max(_METHOD_OF, key=lambda k: f.get(k, 0.0) * ranker.weight(k))
    method = _METHOD_OF[method] if f.get(method, 0.0) * ranker.weight(method) > 0 else "salience"
    if best == sure_voice:
        method = "voice"
    if e.vocatives and method == "salience":
        method = "vocative-exclusion"
    return e.update(speaker=best, confidence=round(min(conf, 0.9), 3), method=method, remembered=best == memory)


#: Which feature names which method, when it is the one that weighs most for the winner.
_METHOD_OF = {
    "turn_before": "turn-taking",
    "turn_after": "turn-taking",
    "vocative_answer": "vocative-answer",
    "memory": "remembered",
    "beat_prev": "beat-prev",
    "voice_dialect": "voice",
    "voice_plain": "voice",
}
def _wanted(feature: str) -> bool:
    """Whether a feature is worth computing: the ranker weighs it, or features are being collected."""
    return FEATURE_SINK is not None or ranker.weight(feature) != 0.0


#: When a list, every untagged line's candidate features are appended to it (for training:
#: ``python -m train.speakers``).
FEATURE_SINK: list[tuple[str, int, int, dict[str, dict[str, float]]]] | None = None


def _end_memory_on_presence(text: str, paras: list[_Para], k: int, lines: list[int], ev: list[_Evidence]) -> bool:
    """A remembered line followed by narration that shows its speaker present is not a memory
    (unless a memory frame introduced it); True when the memory ends there."""
    for nxt in paras[k + 1 : k + 3]:
        if nxt.quotes:
            break
        if lx.PRESENCE.search(text, nxt.span.start_char, nxt.span.end_char):
            for i in lines:
                if ev[i].method != "remembered":
                    ev[i].update(remembered=False)
            return True
    return False


def _addressees(cast: _Cast, paras: list[_Para], quotes: list[Quote], ev: list[_Evidence]) -> None:
    """Vocatives, else a group, else the other party of the exchange (the speaker before or after)."""
    for turns in _exchanges(paras, quotes, cast.breaks):
        for turn in turns:
            turn.speaker = ev[turn.lines[0]].speaker
            turn.remembered = all(ev[i].remembered for i in turn.lines)
        for t, turn in enumerate(turns):
            for i in turn.lines:
                q, e = quotes[i], ev[i]
                if e.vocatives:
                    addr = tuple(c for c in e.vocatives if c != e.speaker)
                elif e.addressees == ("*group*",) or (
                    # A line opening on a group vocative ("Both of you, ...", "Children, ...") addresses
                    # everyone present.
                    lx.GROUP_VOCATIVE.match(cast.text, q.start_char, q.end_char)
                ):
                    # "she said to them" / "Both of you, upstairs.": everyone present but the speaker
                    here = _present(cast, q.start_char)[:6] + _extras_present(cast, q.start_char)
                    addr = tuple(dict.fromkeys(c for c in here if c not in (e.speaker, _NARRATOR)))
                elif e.addressees:
                    addr = e.addressees
                else:
                    addr = ()
                    for u in (t - 1, t + 1, t - 2, t + 2):
                        if not 0 <= u < len(turns) or turns[u].remembered != e.remembered:
                            continue  # a memory and the present are different exchanges
                        if turns[u].speaker and turns[u].speaker != e.speaker:
                            addr = (turns[u].speaker,)  # type: ignore[assignment]
                            break
                    if not addr:
                        near = [c for c in _present(cast, q.start_char) if c not in (e.speaker, _NARRATOR)]
                        addr = tuple(near[:1])
                e.update(addressees=addr)


# --- thoughts -----------------------------------------------------------------------------------


def _pov_character(story: Story, cast: _Cast, pos: int) -> str | None:
    counts: Counter[str] = Counter()
    for m in cast.in_range(max(0, pos - 6000), pos + 2000):
        if m.character and m.kind != "pronoun":  # names: pronoun chains would amplify a mistake
            counts[m.character] += 2 if m.nominative else 1
    if not counts:
        return None
    return counts.most_common(1)[0][0]


def _thinkers(story: Story, cast: _Cast, paras: list[_Para], quotes: list[Quote], ev: list[_Evidence]) -> None:
    text = story.text
    if not story.has("pov") and any(q.kind == "thought" for q in quotes):
        story = _local_pov(story, paras, quotes)
    for para in paras:
        p = para.span
        for i in para.quotes:
            q = quotes[i]
            if q.kind != "thought":
                continue
            m = lx.TAG_AFTER.match(text, q.end_char, min(p.end_char, q.end_char + 80))
            if m and lx.THOUGHT_VERB.fullmatch((m.group("verb1") or m.group("verb2") or "").split()[0]):
                s, e = _tag_subject(m)
                who = _subject_character(cast, text, s, e, ())
                if who:
                    ev[i] = _Evidence(who, 0.9, "thought-tag")
                    continue
            who = _pov_layer(story, q.start_char) or _nearby_subject(story, cast, paras, para, quotes, i, ev)
            who = who or _pov_character(story, cast, q.start_char)
            if who:
                ev[i] = _Evidence(who, 0.7, "pov")


def _nearby_subject(
    story: Story, cast: _Cast, paras: list[_Para], para: _Para, quotes: list[Quote], i: int, ev: list[_Evidence]
) -> str | None:
    """The focal character next to a thought: the subject of the sentence before it, or the
    speaker of the line just before it (one thinks after speaking)."""
    text = story.text
    q = quotes[i]
    k = paras.index(para)
    if q.start_char > para.span.start_char:
        lo = para.span.start_char
    elif k > 0:
        prev = paras[k - 1]
        if prev.quotes and quotes[prev.quotes[-1]].kind == "speech" and ev[prev.quotes[-1]].speaker:
            if quotes[prev.quotes[-1]].end_char >= prev.span.end_char - 1:
                return ev[prev.quotes[-1]].speaker
        lo = prev.span.start_char
    else:
        return None
    hi = q.start_char if q.start_char > para.span.start_char else paras[k - 1].span.end_char
    return _first_subject(cast, _sentence_start(text, lo, hi - 1), hi, ())[0]


def _local_pov(story: Story, paras: list[_Para], quotes: list[Quote]) -> Story:
    """The story with a ``pov`` layer around its thoughts, from the point-of-view stage.

    The pov stage decides whose head a passage is in; the pipeline runs it after this stage,
    so it is run here on windows of paragraphs around the thoughts only (cost bounded by the
    thoughts, not the story).
    """
    from fabula.model import Scene
    from fabula.stages.pov import pov

    wanted = [k for k, p in enumerate(paras) if any(quotes[i].kind == "thought" for i in p.quotes)]
    windows: list[list[int]] = []
    for k in wanted:
        lo, hi = max(0, k - POV_WINDOW[0]), min(len(paras), k + POV_WINDOW[1] + 1)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    found: list[Span] = []
    for lo, hi in windows:
        a, b = paras[lo].span.start_char, paras[hi - 1].span.end_char
        layers = {
            name: tuple(x for x in spans if a <= x.start_char < b)
            for name, spans in story.layers.items()
            if name in ("paragraphs", "quotes", "paratext", "scene_breaks", "mentions")
        }
        layers["scenes"] = (Scene(a, b),)
        found.extend(x for x in pov(story.replace(layers=layers)).layer("pov") if a <= x.start_char < b)
    return story.with_layer("pov", found, stage="pov")


def _pov_layer(story: Story, pos: int) -> str | None:
    for p in story.layer("pov"):
        if p.start_char <= pos < p.end_char:
            return getattr(p, "character", None)
    return None


def _add_characters(
    story: Story,
    cast: _Cast,
    characters: list[Character],
    used: set[str],
    quotes: Sequence[Quote],
    sparas: Sequence[Paragraph],
) -> tuple[list[Character], list[Mention]]:
    """Characters the attribution needs that the cast lacks: the first-person narrator and
    speakers named by an unresolved description; with their mentions, so they can be found."""
    have = {c.id for c in characters}
    added: list[Mention] = []
    if _NARRATOR in used and _NARRATOR not in have:
        taken = [(m.start_char, m.end_char) for m in story.layer("mentions")]
        starts = [a for a, _ in taken]

        def free(s: int) -> bool:
            i = bisect.bisect_right(starts, s) - 1
            return i < 0 or not any(a <= s < b for a, b in taken[max(0, i - 2) : i + 3])

        characters.append(Character(id=_NARRATOR, name="the narrator", pronouns="unknown"))
        qs = [(q.start_char, q.end_char) for q in quotes]
        qstarts = [a for a, _ in qs]
        for p in sparas:
            for m in _FIRST_PERSON.finditer(story.text, p.start_char, p.end_char):
                k = bisect.bisect_right(qstarts, m.start()) - 1
                if (k < 0 or not qs[k][0] <= m.start() < qs[k][1]) and free(m.start()):
                    added.append(Mention(m.start(), m.end(), _NARRATOR, "pronoun"))
    for cid, (name, spans) in cast.extra.items():
        if cid in used and cid not in have:
            characters.append(Character(id=cid, name=name, aliases=(Alias(name, len(spans)),), mentions=len(spans)))
            kind = "proper" if name[:1].isupper() else "nominal"
            added.extend(Mention(a, b, cid, kind) for a, b in spans)
    return characters, added


_PROV = Provenance("speakers")


# --- the stage ------------------------------------------------------------------------------------


@stage("speakers", requires=("quotes", "paragraphs", "sentences"), assigns=("quotes",))
def speakers(story: Story) -> Story:
    """Attribute every quote and thought to a speaker (or thinker), with addressees and confidence."""
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    if not quotes:
        return story
    characters = list(story.characters)
    sparas = _story_paragraphs(story)
    own_roster = not story.has("characters") or not characters
    if own_roster:
        characters = _fallback_roster(story, quotes, sparas)
    cast = _build_cast(story, characters, quotes, sparas)
    paras = _group(sparas, quotes)
    cast.breaks = sorted(
        x.start_char for x in (*story.layer("scene_breaks"), *story.layer("chapters")) if x.start_char > 0
    )
    ev = _explicit(story, cast, paras, quotes)
    first_line: dict[str, int] = {}
    for q, e in zip(quotes, ev, strict=True):
        if e.speaker:
            first_line.setdefault(e.speaker, q.start_char)
    seen = [(m.start, m.character) for m in cast.mentions if m.character]
    seen += [(a, cid) for cid, (_name, spans) in cast.extra.items() for a, _b in spans]
    for start, cid in sorted(seen):
        if cid not in cast.enters and start < first_line.get(cid, len(story.text)):
            cast.enters[cid] = start
    _implicit(story, cast, paras, quotes, ev)
    _thinkers(story, cast, paras, quotes, ev)
    out: list[Quote] = []
    for q, e in zip(quotes, ev, strict=True):
        keep = e.speaker is not None and e.confidence >= MIN_CONFIDENCE
        out.append(
            dataclasses.replace(
                q,
                speaker=e.speaker if keep else None,
                addressees=tuple(a for a in e.addressees if a != "*group*") if q.kind == "speech" else (),
                confidence=round(e.confidence, 3) if keep else 0.0,
                remembered=e.remembered and keep,
                method=e.method if keep else None,
            )
        )
    used = {q.speaker for q in out if q.speaker} | {a for q in out for a in q.addressees}
    speaking = {q.speaker for q in out if q.speaker and q.kind == "speech"}
    characters, added = _add_characters(story, cast, characters, used, quotes, sparas)
    characters = [
        dataclasses.replace(c, speaks=True, mentioned_only=False) if c.id in speaking else c for c in characters
    ]
    story = story.with_layer("quotes", out, stage="speakers")
    if added:
        # an unresolved mention on the same span gives way to the resolved one
        spans = {(m.start_char, m.end_char): m for m in added}
        mentions = []
        for m in story.layer("mentions"):
            key = (m.start_char, m.end_char)
            if key in spans and getattr(m, "character", None) is None:
                continue
            spans.pop(key, None)
            mentions.append(m)
        mentions.extend(spans.values())
        story = story.with_layer("mentions", mentions, stage=story.provenance.get("mentions", _PROV).stage)
    return story.with_characters(characters, stage="speakers" if own_roster else story.provenance["characters"].stage)
