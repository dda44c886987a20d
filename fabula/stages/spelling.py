"""Spelling: misspelt words in the narration and commonly confused words in context (issue 6).

Three checks write the ``misspellings`` layer, each item with a suggestion and a reason:

- **non-words** in the narration, such as ``hesistated`` (-> hesitated): a lower-case word the
  lexicon does not know, used only once in the story, with a known word one or two edits away.
  Capitalised words (names), mentions, and words the story uses more than once (invented terms,
  fandom words) are never flagged, and neither is anything inside speech or thought, where odd
  spellings are usually a voice;
- **confused words** by context: ``struggled to breath in`` (-> breathe), lose / loose,
  their / there / they're, its / it's, ``could of``, ``more then``. These are checked in the
  narration, in thoughts, and in speech that has no eye dialect in it;
- **a name spelled two ways**: a rare capitalised spelling close to a much commoner one
  (``Hermoine`` beside ``Hermione``) is flagged once, at its first use.

>>> from fabula import analyze
>>> s = analyze("He hesistated. He struggled to breath in. Its a trap.")
>>> [(s.span_text(m), m.suggestion) for m in s.layer("misspellings")]
[('hesistated', 'hesitated'), ('breath in', 'breathe in'), ('Its', "It's")]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from fabula.model import Misspelling, Normalization, Quote, Span, Story
from fabula.pipeline import stage
from fabula.stages.lexicon import Lexicon, lexicon

_WORD = re.compile(r"(?<![\w'\u2019-])[A-Za-z]+(?:['\u2019-][A-Za-z]+)*")
_MODAL = (
    r"(?:to|could|couldn't|would|wouldn't|can|can't|cannot|will|won't|must|should|shouldn't|might|may|"
    r"did|didn't|do|don't|does|doesn't|gonna|wanna|let\s+(?:me|him|her|them|us)|help\s+(?:me|him|her|them|us))"
)
_PARTICLE = r"(?:\s+(?:in|out|again|deeply|slowly|normally|properly|easier|easy))?"


def _rule(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


#: Confused-word rules: (pattern with group "w" = the flagged words, replacement, reason).
CONFUSED: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (_rule(rf"\b{_MODAL}\s+(?P<w>breath{_PARTICLE})\b"), "breathe", "the verb is 'breathe'; 'breath' is the noun"),
    (
        _rule(r"\b(?:a|one|deep|last|sharp|long|shaky|shaking|ragged|shuddering|his|my|your|their|our)\s+(?P<w>breathe)\b"),
        "breath",
        "the noun is 'breath'; 'breathe' is the verb",
    ),
    (
        _rule(
            rf"\b{_MODAL}\s+(?P<w>loose)\s+(?:my|your|his|her|our|their|control|track|sight|hope|weight|everything|"
            r"you|him|me|us|this|that)\b"
        ),
        "lose",
        "the verb is 'lose'; 'loose' means not tight",
    ),
    (
        _rule(r"\b(?:let|break|broke|broken|cut|came|come|comes|coming|hang|hung|set|turn|turned|shook|tore|pulled|worked)\s+(?P<w>lose)\b(?!\s+(?:to|the|a|an|his|her|my|your|their|its|our|it|them|him|me|us|track|sight|control|hope|weight|face|heart|time))"),
        "loose",
        "'loose' (not tight, free) is meant here; 'lose' is to misplace",
    ),
    (
        _rule(r"\b(?P<w>their)\s+(?:is|are|was|were|isn't|aren't|wasn't|weren't|will\s+be|would\s+be|has\s+been|have\s+been|had\s+been|must\s+be|seems?|seemed)\b"),
        "there",
        "'there' (the place, or 'there is') is meant here; 'their' is possessive",
    ),
    (
        _rule(r"\b(?:in|of|on|for|with|to|at|by|from|into|made|had|have|has)\s+(?P<w>there)\s+own\b"),
        "their",
        "'their' (belonging to them) is meant here",
    ),
    (
        _rule(r"\b(?P<w>(?:their|there))\s+(?:gonna|not\s+gonna|not\s+going\s+to)\b"),
        "they're",
        "'they're' (they are) is meant here",
    ),
    (
        _rule(r"\b(?P<w>they're)\s+(?:own|house|home|car|parents|mother|father|friends?)\b"),
        "their",
        "'their' (belonging to them) is meant here; 'they're' is 'they are'",
    ),
    (_rule(r"\b(?P<w>it's)\s+own\b"), "its", "'its' (belonging to it) is meant here; 'it's' is 'it is'"),
    (
        _rule(
            r"\b(?P<w>its)\s+(?:a|an|the|been|gonna|so|just|all|okay|ok|alright|my|your|our|his|her|their|"
            r"nothing|because|what|how|about|really|always|never)\b(?!-)"
        ),
        "it's",
        "'it's' (it is, it has) is meant here; 'its' is possessive",
    ),
    (
        _rule(
            r"\b(?:could|would|should|must|might)\s+(?P<w>of)\s+(?:been|done|gone|had|known|seen|got|gotten|said|"
            r"made|taken|thought|told|let|come|went|did|be|bought|brought|left|killed|died|helped|stopped|asked)\b"
        ),
        "have",
        "'could have' is meant; 'of' only sounds like it",
    ),
    (
        _rule(r"\b(?:more|less|better|worse|rather|other|bigger|smaller|older|younger|taller|faster|larger|later|sooner)\s+(?P<w>then)\b(?!\s*[.,;:!?\u2014-])"),
        "than",
        "a comparison takes 'than'; 'then' is about time",
    ),
    (_rule(r"\b(?P<w>alot)\b"), "a lot", "'a lot' is two words"),
    (_rule(r"\b(?P<w>your)\s+welcome\b"), "you're", "'you're welcome' (you are)"),
)


def _case(form: str, word: str) -> str:
    return word[:1].upper() + word[1:] if form[:1].isupper() else word


def confused_words(text: str, offset: int = 0) -> list[Misspelling]:
    """Confused-word errors in ``text``; spans shifted by ``offset``.

    >>> [(m.suggestion, m.start_char) for m in confused_words("I don't want to loose it.")]
    [('lose', 16)]
    """
    out: list[Misspelling] = []
    for rx, repl, reason in CONFUSED:
        for m in rx.finditer(text):
            form = m.group("w")
            head, _, rest = form.partition(" ")
            sugg = _case(head, repl) + (" " + " ".join(rest.split()) if rest else "")
            out.append(Misspelling(offset + m.start("w"), offset + m.end("w"), suggestion=sugg, reason=reason))
    return out


def _edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def _segments(story: Story, skip: list[Span]) -> Iterator[tuple[int, int]]:
    """Narration: the story's paragraphs minus the ``skip`` spans."""
    skip = sorted(skip, key=lambda s: s.start_char)
    k = 0
    for p in story.story_paragraphs():
        pos = p.start_char
        while k < len(skip) and skip[k].end_char <= pos:
            k += 1
        j = k
        while j < len(skip) and skip[j].start_char < p.end_char:
            if skip[j].start_char > pos:
                yield pos, skip[j].start_char
            pos = max(pos, skip[j].end_char)
            j += 1
        if pos < p.end_char:
            yield pos, p.end_char


def _non_words(story: Story, narration: list[tuple[int, int]], lex: Lexicon) -> list[Misspelling]:
    text = story.text
    uses = Counter(m.group().lower() for m in _WORD.finditer(text))
    mentioned = {story.span_text(m).lower() for m in story.layer("mentions")}
    out: list[Misspelling] = []
    for s, e in narration:
        unknown = []
        for m in _WORD.finditer(text, s, e):
            w = m.group()
            low = w.lower()
            # Elisions (ev'ry), compounds with hyphens and stutters (bo-o-oy) are deliberate.
            if not w.isalpha() or not w.islower() or len(w) < 4 or uses[low] > 1 or low in mentioned:
                continue
            if not lex.known(low):
                unknown.append(m)
        if len(unknown) > 2:
            continue  # a passage in another language, or a made-up one
        for m in unknown:
            w = m.group()
            sugg = lex.suggest(w, min_count=3)
            if sugg is not None:
                reason = f"'{w}' is not a word in the dictionary; did you mean '{sugg}'?"
                out.append(Misspelling(m.start(), m.end(), suggestion=sugg, reason=reason))
    return out


def _names(story: Story, lex: Lexicon) -> list[Misspelling]:
    """A rare capitalised spelling close to a much commoner one: flagged once, at its first use."""
    first: dict[str, int] = {}
    count: Counter[str] = Counter()
    for m in _WORD.finditer(story.text):
        w = m.group()
        if w.endswith(("'s", "\u2019s")):
            w = w[:-2]
        if len(w) < 4 or not w.isalpha() or not w[0].isupper() or not w[1:].islower() or lex.count(w.lower()) > 0:
            continue
        count[w] += 1
        first.setdefault(w, m.start())
    out: list[Misspelling] = []
    names = sorted(count, key=lambda w: -count[w])
    for i, common in enumerate(names):
        for rare in names[i + 1 :]:
            if count[rare] > 2 or count[common] < 2 * count[rare] or rare.rstrip("es") == common.rstrip("es"):
                continue  # rare enough, and not a plural (the Osgoods beside Osgood)
            limit = 2 if min(len(rare), len(common)) >= 7 else 1
            if _edit_distance(rare.lower(), common.lower(), limit) <= limit:
                s = first[rare]
                reason = f"the name is spelled '{common}' {count[common]} times and '{rare}' here"
                out.append(Misspelling(s, s + len(rare), suggestion=common, reason=reason))
    once: dict[int, Misspelling] = {}
    for m in out:
        once.setdefault(m.start_char, m)
    return list(once.values())


@stage("spelling", requires=("paragraphs", "quotes", "normalizations"), assigns=("misspellings",))
def spelling(story: Story) -> Story:
    """Write the ``misspellings`` layer: non-words in narration, confused words, names spelled two ways."""
    lex = lexicon()
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    norms = [n for n in story.layer("normalizations") if isinstance(n, Normalization)]
    narration = list(_segments(story, list(quotes)))
    found = _non_words(story, narration, lex)
    dialect_quotes = [q for q in quotes if any(q.contains(n) for n in norms)]
    for s, e in _segments(story, dialect_quotes):
        found += confused_words(story.text[s:e], s)
    found += _names(story, lex)
    found.sort(key=lambda m: (m.start_char, -m.end_char))
    dedup = [m for i, m in enumerate(found) if i == 0 or not m.overlaps(found[i - 1])]
    return story.with_layer("misspellings", dedup, stage="spelling")
