"""Feedback for writers: notes a beta reader would leave, each on a span with a one-line reason (issue 6).

The ``feedback`` stage gathers, in text order:

- ``head-hop``: the point of view changes inside a scene with no break (from the ``pov`` layer);
- ``unattributed``: a run of dialogue paragraphs with no tag or beat, long enough that a reader
  loses count of who is speaking;
- ``tag-adverb``: an adverb on a speech tag (``he said, slyly``);
- ``said-bookism``: how often the story reaches past *said* and *asked* (``hissed``, ``chuckled``),
  one note for the story when it does so often;
- ``repetition``: the same word again within a few words, in the narration;
- ``long-sentence``: a very long sentence;
- ``spelling``: each item of the ``misspellings`` layer.

Nothing inside speech written in eye dialect is flagged: those spellings are the voice, and the
``misspellings`` layer already leaves them alone. Thresholds live in :class:`FeedbackConfig`.

>>> from fabula import analyze
>>> s = analyze('"Go," he said slyly. The silent house was silent.')
>>> sorted({f.kind for f in s.layer("feedback")})
['repetition', 'tag-adverb']
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from fabula.model import Feedback, Misspelling, Pov, Quote, Sentence, Story
from fabula.pipeline import stage


@dataclass(frozen=True, slots=True)
class FeedbackConfig:
    """Thresholds of the feedback notes.

    Attributes:
        unattributed_run: dialogue paragraphs in a row without a tag or beat before a note.
        long_sentence: words in a sentence before it is called very long.
        repetition_window: words within which a repeated content word is noted.
        repetition_min_length: shortest word (in letters) checked for repetition.
        bookism_min: said-bookisms in a story before the count is noted.
        bookism_share: share of speech tags that are bookisms before the count is noted.
    """

    unattributed_run: int = 6
    long_sentence: int = 50
    repetition_window: int = 12
    repetition_min_length: int = 5
    bookism_min: int = 3
    bookism_share: float = 0.4


DEFAULT_CONFIG = FeedbackConfig()

#: Plain speech verbs: the invisible ones.
PLAIN_TAGS = frozenset("said says say asked asks ask replied replies answered told tells".split())
#: Said-bookisms: speech verbs that draw attention to themselves.
BOOKISMS = frozenset(
    """gasped hissed chuckled sighed growled snapped snarled barked exclaimed retorted shrieked screamed yelled
    shouted bellowed roared whimpered whined murmured muttered mumbled purred drawled sneered smirked laughed
    giggled grinned smiled scoffed huffed spat breathed cooed chirped quipped teased mused stammered stuttered
    sobbed pleaded begged demanded insisted declared announced proclaimed interjected admonished chided
    groaned grumbled moaned wailed whispered hollered gushed cried""".split()
)
_TAG_VERBS = "|".join(sorted(PLAIN_TAGS | BOOKISMS, key=len, reverse=True))
_SUBJECT = r"(?:he|she|they|I|we|you|it|[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)?|the\s+\w+)"
# A tag right after a quote: ["...," he said slyly] / [said Gin, slyly] / [he slyly said]
_TAG = re.compile(
    rf"^\s*(?:{_SUBJECT}\s+(?:(?P<pre>\w+ly)\s+)?(?P<v1>{_TAG_VERBS})|(?P<v2>{_TAG_VERBS})\s+{_SUBJECT})\b"
    rf"(?P<post>,?\s+(?P<adv>\w+ly)\b)?"
)
# Words in -ly that are not manner adverbs on a tag.
_NOT_ADVERBS = frozenset("only early family reply ally belly bully jelly holly lily rally silly ugly holy".split())
_WORD = re.compile(r"[A-Za-z]+(?:['\u2019][A-Za-z]+)*")
#: Words too common to count as repetition.
STOPWORDS = frozenset(
    """about above after again against along among around because before behind below beneath beside between
    could didn't doesn't don't every from have having here into itself just might more most much never nothing
    other over really right shall should since some something still than that their them then there these they
    thing things this those though through under until upon very wasn't were what when where which while whom
    whose with within without would your yours could couldn't wouldn't himself herself themselves myself""".split()
)


def _note(story: Story, s: int, e: int, kind: str, reason: str) -> Feedback:
    return Feedback(s, e, kind=kind, reason=reason)


def _head_hops(story: Story) -> list[Feedback]:
    out = []
    for p in story.layer("pov"):
        if isinstance(p, Pov) and p.head_hop:
            end = story.text.find("\n", p.start_char)
            end = p.end_char if end < 0 or end > p.end_char else end
            who = story.character(p.character)
            name = who.name if who else (p.character or "someone else")
            reason = f"head-hop: the point of view jumps to {name} with no scene break"
            out.append(_note(story, p.start_char, end, "head-hop", reason))
    return out


def _speech_tags(story: Story, quotes: list[Quote]) -> list[tuple[re.Match[str], int]]:
    """Speech tags right after each speech quote: ``(match, offset)``."""
    text = story.text
    out = []
    for q in quotes:
        if q.kind != "speech":
            continue
        m = _TAG.match(text[q.end_char : q.end_char + 60])
        if m:
            out.append((m, q.end_char))
    return out


def _tag_adverbs(tags: list[tuple[re.Match[str], int]]) -> list[Feedback]:
    out = []
    for m, off in tags:
        for g in ("pre", "adv"):
            adv = m.group(g)
            if adv and adv.lower() not in _NOT_ADVERBS:
                verb = m.group("v1") or m.group("v2")
                s = off + m.start(g)
                reason = f"adverb on a speech tag: '{verb} … {adv}'; let the line or a beat show how it is said"
                out.append(Feedback(s, s + len(adv), kind="tag-adverb", reason=reason))
    return out


def _bookisms(tags: list[tuple[re.Match[str], int]], config: FeedbackConfig) -> list[Feedback]:
    verbs: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m, off in tags:
        v = (m.group("v1") or m.group("v2")).lower()
        verbs[v] += 1
        first.setdefault(v, off + m.start("v1" if m.group("v1") else "v2"))
    fancy = {v: n for v, n in verbs.items() if v in BOOKISMS}
    total = sum(verbs.values())
    n = sum(fancy.values())
    if n < config.bookism_min or n < config.bookism_share * total:
        return []
    listing = ", ".join(f"{v} ×{c}" for v, c in sorted(fancy.items(), key=lambda kv: -kv[1]))
    plain = total - n
    s = min(first[v] for v in fancy)
    top = max(fancy, key=lambda v: fancy[v])
    reason = f"said-bookisms: {n} of {total} speech tags ({listing}); 'said' ×{plain} reads as invisible"
    return [Feedback(s, s + len(top), kind="said-bookism", reason=reason)]


def _unattributed(story: Story, quotes: list[Quote], config: FeedbackConfig) -> list[Feedback]:
    """Runs of dialogue paragraphs that hold nothing but the quote: no tag, no beat."""
    text = story.text
    qstarts = [q.start_char for q in quotes]
    out: list[Feedback] = []
    run: list[tuple[int, int]] = []

    def close() -> None:
        if len(run) >= config.unattributed_run:
            s, e = run[0][0], run[-1][1]
            reason = f"{len(run)} lines of dialogue in a row with no tag or beat: the reader may lose who is speaking"
            out.append(Feedback(s, e, kind="unattributed", reason=reason))
        run.clear()

    for p in story.story_paragraphs():
        i = bisect.bisect_left(qstarts, p.start_char)
        inside = []
        while i < len(quotes) and quotes[i].start_char < p.end_char:
            inside.append(quotes[i])
            i += 1
        speech = [q for q in inside if q.kind == "speech"]
        if not speech:
            close()
            continue
        rest = text[p.start_char : p.end_char]
        for q in reversed(inside):
            rest = rest[: q.start_char - p.start_char] + rest[q.end_char - p.start_char :]
        if len(_WORD.findall(rest)) == 0:
            run.append((p.start_char, p.end_char))
        else:
            close()
    close()
    return out


def _repetitions(story: Story, quotes: list[Quote], config: FeedbackConfig) -> list[Feedback]:
    """The same content word again within a few words, in the narration of one paragraph."""
    text = story.text
    names = {a.name.lower() for c in story.characters for a in c.aliases} | {c.name.lower() for c in story.characters}
    qspans = sorted((q.start_char, q.end_char) for q in quotes)
    qstarts = [s for s, _ in qspans]
    out: list[Feedback] = []
    for p in story.story_paragraphs():
        last: dict[str, int] = {}
        for k, m in enumerate(_WORD.finditer(text, p.start_char, p.end_char)):
            w = m.group()
            low = w.lower()
            # Capitalised words are names or sentence openings; speech repeats itself on purpose.
            if len(w) < config.repetition_min_length or w[0].isupper() or low in STOPWORDS or low in names:
                continue
            i = bisect.bisect_right(qstarts, m.start()) - 1
            if i >= 0 and m.start() < qspans[i][1]:
                continue
            prev = last.get(low)
            if prev is not None and k - prev <= config.repetition_window:
                reason = f"'{low}' again, {k - prev - 1} words after its last use"
                out.append(Feedback(m.start(), m.end(), kind="repetition", reason=reason))
            last[low] = k
    return out


def _long_sentences(story: Story, config: FeedbackConfig) -> list[Feedback]:
    out = []
    for s in story.layer("sentences"):
        if not isinstance(s, Sentence):
            continue
        n = len(story.span_text(s).split())
        if n >= config.long_sentence:
            reason = f"a sentence of {n} words: consider splitting it"
            out.append(Feedback(s.start_char, s.end_char, kind="long-sentence", reason=reason))
    return out


def _spelling(story: Story) -> list[Feedback]:
    return [
        Feedback(m.start_char, m.end_char, kind="spelling", reason=m.reason or f"did you mean '{m.suggestion}'?")
        for m in story.layer("misspellings")
        if isinstance(m, Misspelling)
    ]


def feedback_items(story: Story, config: FeedbackConfig = DEFAULT_CONFIG) -> list[Feedback]:
    """Every feedback note for ``story``, in text order (the stage's work, callable with another config)."""
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    tags = _speech_tags(story, quotes)
    items = (
        _head_hops(story)
        + _unattributed(story, quotes, config)
        + _tag_adverbs(tags)
        + _bookisms(tags, config)
        + _repetitions(story, quotes, config)
        + _long_sentences(story, config)
        + _spelling(story)
    )
    items.sort(key=lambda f: (f.start_char, -f.end_char, f.kind))
    return items


def speech_tag_counts(story: Story) -> Counter[str]:
    """How often each speech verb tags a quote (``said``, ``hissed``, ...).

    >>> from fabula import analyze
    >>> speech_tag_counts(analyze('"Hi," he said. "Go," she hissed.'))
    Counter({'said': 1, 'hissed': 1})
    """
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    return Counter((m.group("v1") or m.group("v2")).lower() for m, _off in _speech_tags(story, quotes))


@stage("feedback", requires=("paragraphs", "sentences", "quotes", "misspellings", "pov"), assigns=("feedback",))
def feedback(story: Story) -> Story:
    """Write the ``feedback`` layer: notes for the writer, each with a one-line reason."""
    return story.with_layer("feedback", feedback_items(story), stage="feedback")
