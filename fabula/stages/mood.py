"""Mood: the story's emotional arc, from a valence score per paragraph (issue 6).

Valence comes from VADER (Hutto & Gilbert 2014; the ``vaderSentiment`` package, MIT): its
lexicon of 7,500 rated words and its rules (negation within three words, boosters and
dampeners, ALL-CAPS emphasis, a contrastive "but", exclamation marks), applied here in one
pass over each paragraph's words, which is several times faster than calling the package
per paragraph and agrees with it closely (see tests/stages/test_mood.py). The score is VADER's
*compound*, in [-1, 1].

The ``mood`` stage writes a ``valence`` layer, one span per story paragraph. From it,
:func:`arc` smooths the scores along the story, :func:`scene_moods` averages them per scene,
:func:`character_moods` scores what each character says (once speakers are known) and
:func:`sparkline` draws an arc in one line of text for ``fabula read``.

>>> round(valence("What a lovely, happy morning!"), 2) > 0.5, valence("He was not happy.") < 0
(True, True)
>>> sparkline([-1.0, 0.0, 1.0])
'▁▅█'
"""

from __future__ import annotations

import math
import string
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

from fabula.model import Quote, Scene, Story, Valence
from fabula.pipeline import stage

_B_INCR = 0.293
_C_INCR = 0.733
_N_SCALAR = -0.74
_PUNCT = string.punctuation


@lru_cache(maxsize=1)
def _vader() -> tuple[dict[str, float], dict[str, float], frozenset[str]]:
    """VADER's lexicon, booster words and negations, read from the vaderSentiment package."""
    from vaderSentiment import vaderSentiment as vs

    lexicon: dict[str, float] = {}
    raw = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            lexicon[parts[0]] = float(parts[1])
    boosters = {k: float(v) for k, v in vs.BOOSTER_DICT.items() if " " not in k}
    return lexicon, boosters, frozenset(vs.NEGATE)


def _negated(word: str, negate: frozenset[str]) -> bool:
    return word in negate or "n't" in word


def valence(text: str) -> float:
    """VADER's compound valence of ``text``, in [-1, 1].

    >>> valence("She smiled.") > 0, valence("The table.")
    (True, 0.0)
    """
    lexicon, boosters, negate = _vader()
    # VADER's tokens: split on white space, punctuation stripped unless that leaves 2 letters or fewer.
    words = []
    for t in text.split():
        st = t.strip(_PUNCT)
        words.append(st if len(st) > 2 else t)
    if not words:
        return 0.0
    low = [w.lower().replace("\u2019", "'") for w in words]
    cap_diff = any(w.isupper() for w in words) and not all(w.isupper() for w in words)
    scores: list[float] = []
    but = low.index("but") if "but" in low else -1
    get = lexicon.get
    for i, w in enumerate(low):
        v = get(w)
        if v is None or w in boosters:
            continue
        if w == "no" and i + 1 < len(low) and low[i + 1] in lexicon:
            v = 0.0  # "no" negates the next word instead of counting itself
        if (i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no"):
            v = lexicon[w] * _N_SCALAR
        if cap_diff and words[i].isupper():
            v += _C_INCR if v > 0 else -_C_INCR
        for k in (1, 2, 3):
            if i < k:
                break
            prev = low[i - k]
            if prev in lexicon:
                continue
            b = boosters.get(prev)
            if b is not None:
                boost = b if v > 0 else -b
                if cap_diff and words[i - k].isupper():
                    boost += _C_INCR if v > 0 else -_C_INCR
                v += boost * (1.0, 0.95, 0.9)[k - 1]
            if k > 1 and low[i - k] == "never" and low[i - k + 1] in ("so", "this"):
                v *= 1.25
            elif _negated(prev, negate):
                v *= _N_SCALAR
        if i > 0 and low[i - 1] == "least" and (i < 2 or low[i - 2] not in ("at", "very")):
            v *= _N_SCALAR
        if but >= 0:
            v *= 0.5 if i < but else 1.5 if i > but else 1.0
        scores.append(v)
    total = sum(scores)
    if total:
        ep = min(text.count("!"), 4) * 0.292
        qm = text.count("?")
        amp = ep + (0.0 if qm <= 1 else qm * 0.18 if qm <= 3 else 0.96)
        total += amp if total > 0 else -amp
    return max(-1.0, min(1.0, total / math.sqrt(total * total + 15)))


@stage("mood", requires=("paragraphs", "paratext", "scene_breaks"), assigns=("valence",))
def mood(story: Story) -> Story:
    """Write the ``valence`` layer: VADER's valence of every story paragraph."""
    paras = story.story_paragraphs()
    out = [Valence(p.start_char, p.end_char, score=round(valence(story.span_text(p)), 4)) for p in paras]
    return story.with_layer("valence", out, stage="mood")


def _scores(story: Story) -> list[Valence]:
    return [v for v in story.layer("valence") if isinstance(v, Valence)]


def smooth(values: Sequence[float], window: int = 5) -> list[float]:
    """A centred moving average over ``window`` values (shorter at the ends).

    >>> smooth([0.0, 1.0, 0.0], window=3)
    [0.5, 0.3333333333333333, 0.5]
    """
    half = max(window, 1) // 2
    out: list[float] = []
    for i in range(len(values)):
        part = values[max(0, i - half) : i + half + 1]
        out.append(sum(part) / len(part))
    return out


def arc(story: Story, window: int | None = None) -> list[tuple[int, float]]:
    """The smoothed emotional arc: ``(paragraph start, smoothed valence)`` per story paragraph.

    The window defaults to a twentieth of the paragraphs (at least 3), so that long and short
    stories are smoothed alike. Empty before the ``mood`` stage has run.
    """
    vals = _scores(story)
    if not vals:
        return []
    w = window or max(3, len(vals) // 20)
    return list(zip((v.start_char for v in vals), smooth([v.score for v in vals], w), strict=True))


def scene_moods(story: Story) -> list[tuple[int, int, float]]:
    """Per scene: ``(start, end, mean valence)``, paragraphs weighted by their length."""
    vals = _scores(story)
    scenes = [s for s in story.layer("scenes") if isinstance(s, Scene)] or [Scene(0, len(story.text))]
    out: list[tuple[int, int, float]] = []
    for sc in scenes:
        inside = [v for v in vals if sc.start_char <= v.start_char < sc.end_char]
        weight = sum(len(v) for v in inside)
        mean = sum(v.score * len(v) for v in inside) / weight if weight else 0.0
        out.append((sc.start_char, sc.end_char, mean))
    return out


def character_moods(story: Story) -> dict[str, float]:
    """Per speaking character: the mean valence of what they say (empty before attribution).

    >>> character_moods(Story(text="x"))
    {}
    """
    sums: dict[str, list[float]] = defaultdict(list)
    for q in story.layer("quotes"):
        if isinstance(q, Quote) and q.kind == "speech" and q.speaker:
            sums[q.speaker].append(valence(story.span_text(q)))
    return {who: sum(v) / len(v) for who, v in sums.items()}


_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float], width: int = 60, *, low: float = -1.0, high: float = 1.0) -> str:
    """``values`` (between ``low`` and ``high``) as a line of block characters, at most ``width`` long."""
    if not values:
        return ""
    if len(values) > width:  # average into ``width`` buckets
        step = len(values) / width
        values = [
            sum(values[int(i * step) : max(int((i + 1) * step), int(i * step) + 1)])
            / max(1, len(values[int(i * step) : max(int((i + 1) * step), int(i * step) + 1)]))
            for i in range(width)
        ]
    span = (high - low) or 1.0
    return "".join(_BARS[min(len(_BARS) - 1, max(0, int((v - low) / span * len(_BARS))))] for v in values)


def arc_sparkline(story: Story, width: int = 60) -> str:
    """The story's smoothed arc as a sparkline, for ``fabula read`` (empty without a ``valence`` layer)."""
    return sparkline([v for _s, v in arc(story)], width)
