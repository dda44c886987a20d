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

import bisect
import re
from collections import Counter
from collections.abc import Iterator

from fabula.model import Misspelling, Normalization, Quote, Span, Story
from fabula.pipeline import stage
from fabula.stages.lexicon import Lexicon, edit_distance, lexicon

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
        _rule(r"\b(?:let|break|broke|broken|cut|came|come|comes|coming|hang|hung|set|turn|turned|shook|tore|pulled|worked)\s+(?P<w>lose)\b(?!\s+(?:to|the|a|an|his|her|my|your|their|its|our|it|them|him|me|us|track|sight|control|hope|weight|face|heart|time)\b)"),
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
        re.compile(
            r"(?:^|(?<=[.!?\"\u201c\u201d]\s)|(?<=\n))(?P<w>Its)\s+(?:not|been|a|an|the|so|just|going|gonna|okay|ok|"
            r"alright|over|fine|true|only|all|time|my|your|his|her|our|their|no|nothing)\b(?!-)"
        ),
        "it's",
        "'It's' (it is, it has) is meant at the start of this sentence; 'its' is possessive",
    ),
    (
        _rule(
            r"\b(?:could|would|should|must|might)\s+(?P<w>of)\s+(?:\w+ed|\w+en|been|done|gone|had|known|seen|got|"
            r"said|made|thought|told|let|come|went|did|be|bought|brought|left|felt|kept|lost|met|paid|sent|spent|"
            r"stood|won|heard|run|hurt|put|set)\b"
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


_KEY = re.compile(r"\b(?:breath|breathe|loose|lose|their|there|they're|it's|its|of|then|alot|your)\b", re.IGNORECASE)


#: The word each rule of :data:`CONFUSED` flags, in the same order: text is scanned once for these.
_RULE_KEYS: tuple[tuple[str, ...], ...] = (
    ("breath",), ("breathe",), ("loose",), ("lose",), ("their",), ("there",), ("their", "there"), ("they're",),
    ("it's",), ("its",), ("its",), ("of",), ("then",), ("alot",), ("your",),
)
_BY_KEY: dict[str, list[tuple[re.Pattern[str], str, str]]] = {}
for _keys, _rule_ in zip(_RULE_KEYS, CONFUSED, strict=True):
    for _k in _keys:
        _BY_KEY.setdefault(_k, []).append(_rule_)


def confused_words(text: str, offset: int = 0) -> list[Misspelling]:
    """Confused-word errors in ``text``; spans shifted by ``offset``.

    >>> [(m.suggestion, m.start_char) for m in confused_words("I don't want to loose my keys.")]
    [('lose', 16)]
    """
    out: list[Misspelling] = []
    n = len(text)
    for k in _KEY.finditer(text):
        ks = k.start()
        for rx, repl, reason in _BY_KEY.get(k.group().lower(), ()):
            for m in rx.finditer(text, max(0, ks - 60), min(n, k.end() + 60)):
                if m.start("w") != ks:
                    continue
                form = m.group("w")
                head, _, rest = form.partition(" ")
                sugg = _case(head, repl) + (" " + " ".join(rest.split()) if rest else "")
                out.append(Misspelling(offset + ks, offset + m.end("w"), suggestion=sugg, reason=reason))
    return out


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


def _within(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < spans[i][1]


def _non_words(story: Story, narration: list[tuple[int, int]], lex: Lexicon) -> list[Misspelling]:
    """Lower-case words used once in the story, unknown to the lexicon, with a common word near."""
    text = story.text
    # Only words used once can be typos (a word used twice is the story's own): count in C.
    uses = Counter(_LOWER_WORD.findall(text.lower()))
    mentioned = {story.span_text(m).lower() for m in story.layer("mentions")}
    once = [w for w, n in uses.items() if n == 1 and len(w) >= 4 and w not in mentioned]
    unknown = {w for w in once if not lex.known(w)}
    if not unknown:
        return []
    starts = [s for s, _e in narration]
    per_segment: dict[int, list[re.Match[str]]] = {}
    for m in _WORD.finditer(text):
        w = m.group()
        # Elisions (ev'ry), hyphenated compounds and stutters (bo-o-oy) are deliberate.
        if w in unknown and _within(narration, starts, m.start()):
            per_segment.setdefault(bisect.bisect_right(starts, m.start()), []).append(m)
    out: list[Misspelling] = []
    for found in per_segment.values():
        if len(found) > 2:
            continue  # a passage in another language, or a made-up one
        for m in found:
            w = m.group()
            sugg = lex.suggest(w, min_count=3)
            if sugg is not None:
                reason = f"'{w}' is not a word in the dictionary; did you mean '{sugg}'?"
                out.append(Misspelling(m.start(), m.end(), suggestion=sugg, reason=reason))
    return out


_LOWER_WORD = re.compile(r"(?<![\w'\u2019-])[a-z]+(?![\w'\u2019-])")
_NAME = re.compile(r"(?<![\w'\u2019-])[A-Z][a-z]{3,}(?=['\u2019]s\b|(?![\w'\u2019-]))")


def _names(story: Story, lex: Lexicon) -> list[Misspelling]:
    """A rare capitalised spelling close to a much commoner one: flagged once, at its first use."""
    first: dict[str, int] = {}
    count: Counter[str] = Counter()
    for m in _NAME.finditer(story.text):
        w = m.group()
        count[w] += 1
        first.setdefault(w, m.start())
    names = {w: n for w, n in count.items() if lex.count(w.lower()) == 0}
    index: dict[str, list[str]] = {}
    for w, n in names.items():
        if n >= 2:
            low = w.lower()
            for d in (low, *(low[:i] + low[i + 1 :] for i in range(len(low)))):
                index.setdefault(d, []).append(w)
    out: list[Misspelling] = []
    for rare, n in names.items():
        if n > 2:
            continue
        low = rare.lower()
        cands = {c for d in (low, *(low[:i] + low[i + 1 :] for i in range(len(low)))) for c in index.get(d, ())}
        best = None
        for common in sorted(cands, key=lambda c: -names[c]):
            if common == rare or names[common] < 2 * n or rare.rstrip("es") == common.rstrip("es"):
                continue  # not rare enough, or a plural (the Osgoods beside Osgood)
            limit = 2 if min(len(rare), len(common)) >= 7 else 1
            if edit_distance(low, common.lower(), limit) <= limit:
                best = common
                break
        if best is not None:
            s = first[rare]
            reason = f"the name is spelled '{best}' {names[best]} times and '{rare}' here"
            out.append(Misspelling(s, s + len(rare), suggestion=best, reason=reason))
    return out


def _confused(story: Story, skip: list[Quote]) -> list[Misspelling]:
    """Confused words in the story's paragraphs, outside the ``skip`` quotes (speech in dialect)."""
    text = story.text
    paras = [(p.start_char, p.end_char) for p in story.story_paragraphs()]
    pstarts = [s for s, _e in paras]
    skips = [(q.start_char, q.end_char) for q in skip]
    sstarts = [s for s, _e in skips]
    return [
        m
        for m in confused_words(text)
        if _within(paras, pstarts, m.start_char) and not _within(skips, sstarts, m.start_char)
    ]


@stage("spelling", requires=("paragraphs", "quotes", "normalizations"), assigns=("misspellings",))
def spelling(story: Story) -> Story:
    """Write the ``misspellings`` layer: non-words in narration, confused words, names spelled two ways."""
    lex = lexicon()
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    norm_starts = sorted(n.start_char for n in story.layer("normalizations") if isinstance(n, Normalization))
    narration = list(_segments(story, list(quotes)))
    found = _non_words(story, narration, lex)

    def has_dialect(q: Quote) -> bool:
        i = bisect.bisect_left(norm_starts, q.start_char)
        return i < len(norm_starts) and norm_starts[i] < q.end_char

    found += _confused(story, [q for q in quotes if has_dialect(q)])
    found += _names(story, lex)
    found.sort(key=lambda m: (m.start_char, -m.end_char))
    dedup = [m for i, m in enumerate(found) if i == 0 or not m.overlaps(found[i - 1])]
    return story.with_layer("misspellings", dedup, stage="spelling")
