"""Score a story fabula analysed against a :class:`~fabula.eval.reference.Reference`.

:func:`score_story` returns ``{metric: figure}``; figures add up across documents with
:func:`combine`. A metric the gold source does not annotate is left out; a metric whose
input the pipeline did not produce (no ``mentions`` layer, no speaker on any quote) is
:class:`~fabula.eval.metrics.Absent`, never zero.

The metrics (keys in the order of :data:`METRICS`):

- ``quotes``: quote detection P/R/F1. A predicted quote matches a gold one when their spans
  overlap by at least half of the longer one and, when the gold has a ``kind``, the kinds
  agree (GOLD-FORMAT); pairs are one to one.
- ``speaker``: speaker accuracy over every gold quote with a speaker; an undetected quote is
  wrong (end to end). ``speaker_detected``: the same over the gold quotes that were detected.
- ``speaker_<type>``: ``speaker`` restricted to one gold quote type (PDNC's explicit,
  anaphoric, implicit).
- ``addressees``: over gold speech quotes with at least one addressee, the share whose
  predicted addressee set, mapped to gold ids, equals the gold set (undetected: wrong).
- ``remembered`` (gold files): P/R/F1 of the quotes marked as remembered speech; a
  predicted one is right when it matches a gold quote that is remembered.
- ``mentions_proper``: exact-span P/R/F1 of proper-name person mentions (gold kind
  ``proper``; predicted mentions of kind ``proper``). ``mentions_all``: the same over every
  person mention of any kind.
- ``alias_bcubed``: B-cubed P/R/F1 of alias clustering over the gold proper-name mentions
  that fabula found (a predicted mention overlapping it, the largest overlap first): gold
  clusters are the gold entities, predicted clusters the predicted characters (a mention
  with no character is a cluster of its own). Mentions fabula missed are counted by
  ``mentions_proper``, not here.
- ``alias_characters`` (gold files): for each gold character with 2+ names that occur in
  the text, whether one predicted character holds all of them and no other gold
  character's names (GOLD-FORMAT). Nominal aliases (starting lower-case: "the fox-like
  man") are welcome in the predicted character but not required.
- ``speaker_pronouns``: accuracy of resolved speaker-subject pronouns. A gold
  speaker-subject pronoun is a subject-form person pronoun (I, he, she, we, they, you,
  thou, ye) outside quotes, in the same paragraph and sentence as a gold quote and within
  three words of its edge, whose gold entity is that quote's speaker ("...," *he* said /
  *she* cried, "..."). It is right when fabula has a mention on the same span whose
  character maps to that entity; a missing mention or one with no character is wrong.
- ``pov``: the share of narration characters (inside gold POV spans, outside gold quotes)
  whose predicted focal character (layer ``pov``, attribute ``character``) is right.
- ``normalizations`` / ``misspellings``: exact-span P/R/F1 (layers of those names); a
  normalisation also needs its ``standard`` form (or an alternative), ignoring case.

Mapping predicted character ids to gold ids (:func:`map_characters`): each predicted
character maps to the gold character its names point to, and failing that the one its
mentions overlap most. Name evidence counts (a) each of its proper-name (or title)
mentions that overlaps a gold proper-name mention, for that mention's entity, and (b) when
the gold lists names, each use of each of its names (display name and aliases,
case-folded) that belongs to exactly one gold character. Ties and characters with no name
evidence are settled by all of its mentions, pronouns included, each voting for the gold
mention it overlaps most (LitBank: the gold entity whose mentions its mentions overlap
most). A predicted id that is itself a gold id maps to itself when nothing votes.
Unmapped predictions are wrong.

>>> from fabula.eval.reference import Reference, RefQuote
>>> from fabula.model import Quote, Story
>>> text = '"Hi," said Ann. "Bye."'
>>> ref = Reference("demo", text, quotes=(RefQuote(0, 5, speaker="ann"), RefQuote(16, 22, speaker="bo")))
>>> story = Story(text).with_layer("quotes", [Quote(0, 5, speaker="ann")], stage="demo")
>>> figs = score_story(story, ref)
>>> figs["quotes"].recall, figs["speaker"].value, figs["speaker_detected"].value
(0.5, 0.5, 1.0)
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import Any

from fabula.eval.metrics import PRF, Absent, Accuracy, Figure, add_figures, bcubed, exact_prf, match_spans, overlap
from fabula.eval.reference import RefCharacter, Reference, RefMention, RefQuote, names_of
from fabula.model import Span, Story

Figures = dict[str, Figure]

#: Every metric key in report order, with its label for tables.
METRICS: dict[str, str] = {
    "quotes": "quote detection",
    "speaker": "speaker accuracy (all gold quotes)",
    "speaker_detected": "speaker accuracy (detected quotes)",
    "speaker_explicit": "  speaker: explicit quotes",
    "speaker_anaphoric": "  speaker: anaphoric quotes",
    "speaker_implicit": "  speaker: implicit quotes",
    "addressees": "addressee accuracy",
    "remembered": "remembered speech",
    "mentions_proper": "person mentions: proper names",
    "mentions_all": "person mentions: all",
    "alias_bcubed": "alias clustering (B-cubed, proper names)",
    "alias_characters": "alias clustering (characters right)",
    "speaker_pronouns": "speaker-subject pronouns resolved",
    "pov": "point of view (narration chars)",
    "normalizations": "normalizations",
    "misspellings": "misspellings",
}

_PROPER = frozenset({"proper"})
_NAMED = frozenset({"proper", "title"})


def _scored(story: Story, ref: Reference) -> tuple[int, int, list[Any], list[Any], dict[str, str]]:
    """The scored region, the predicted quotes and mentions inside it, and the character mapping."""
    lo, hi = ref.region if ref.region is not None else (0, len(ref.text))
    quotes = [q for q in story.layer("quotes") if q.start_char < hi and q.end_char > lo]
    if ref.outermost_quotes:
        quotes = outermost(quotes)
    mentions = [m for m in story.layer("mentions") if lo <= m.start_char and m.end_char <= hi]
    return lo, hi, quotes, mentions, map_characters(story, ref, mentions)


def score_story(story: Story, ref: Reference) -> Figures:
    """Score ``story`` (whose text must be ``ref.text``) against ``ref``; see the module docs."""
    if story.text != ref.text:
        raise ValueError("score_story needs the story analysed on the reference's own text")
    lo, hi, quotes, mentions, mapping = _scored(story, ref)
    out: Figures = {}
    if ref.quotes is not None:
        out.update(_quote_figures(story, ref, quotes, mapping))
    if ref.mentions is not None:
        out.update(_mention_figures(story, ref.mentions, mentions))
    if ref.characters is not None and ref.mentions is None:
        out["alias_characters"] = _alias_characters(story, ref.characters)
    if ref.speaker_pronouns is not None:
        out["speaker_pronouns"] = _speaker_pronouns(story, ref.speaker_pronouns, mentions, mapping)
    if ref.pov is not None:
        out["pov"] = _pov(story, ref, mapping)
    if ref.normalizations is not None:
        out["normalizations"] = _normalizations(story, ref)
    if ref.misspellings is not None:
        pred = [(s.start_char, s.end_char) for s in story.layer("misspellings") if lo <= s.start_char < hi]
        gold = [(s.start_char, s.end_char) for s in ref.misspellings]
        out["misspellings"] = exact_prf(gold, pred) if story.has("misspellings") else Absent("misspellings layer")
    return {k: out[k] for k in sorted(out, key=_order)}


def quote_errors(story: Story, ref: Reference) -> list[dict[str, Any]]:
    """Every gold quote fabula got wrong: undetected, or with a wrong speaker (for error analysis).

    Each entry: ``start``, ``end``, ``text`` (the gold quote, shortened), ``gold`` speaker,
    ``predicted`` speaker (a predicted id and what it maps to), ``error``
    (``undetected`` | ``speaker``).
    """
    _, _, quotes, _, mapping = _scored(story, ref)
    gold = list(ref.quotes or ())
    found = dict(
        match_spans(gold, quotes, accept=lambda g, p: getattr(g, "kind", None) in (None, getattr(p, "kind", None)))
    )
    out: list[dict[str, Any]] = []
    for i, g in enumerate(gold):
        j = found.get(i)
        words = " ".join(ref.text[g.start_char : g.end_char].split())
        entry: dict[str, Any] = {
            "start": g.start_char,
            "end": g.end_char,
            "text": words if len(words) <= 80 else words[:77] + "...",
            "gold": g.speaker,
        }
        if j is None:
            out.append({**entry, "predicted": None, "error": "undetected"})
            continue
        sp = getattr(quotes[j], "speaker", None)
        if g.speaker is not None and (sp is None or mapping.get(sp) != g.speaker):
            shown = None if sp is None else f"{sp} -> {mapping.get(sp)}"
            out.append({**entry, "predicted": shown, "error": "speaker"})
    return out


def outermost(spans: Sequence[Any]) -> list[Any]:
    """The spans not inside another one (spans in text order, longest first at a start).

    >>> from fabula.model import Span
    >>> outermost([Span(0, 10), Span(2, 5), Span(10, 12)])
    [Span(start_char=0, end_char=10), Span(start_char=10, end_char=12)]
    """
    out: list[Any] = []
    reach = -1
    for s in sorted(spans, key=lambda x: (x.start_char, -x.end_char)):
        if s.end_char <= reach and out:
            continue
        out.append(s)
        reach = max(reach, s.end_char)
    return out


def _order(key: str) -> tuple[int, str]:
    keys = list(METRICS)
    return (keys.index(key), key) if key in keys else (len(keys), key)


def combine(figures: Iterable[Figures]) -> Figures:
    """Sum per-document figures into corpus figures (micro-average), keeping metric order."""
    total: Figures = {}
    for figs in figures:
        for k, v in figs.items():
            total[k] = add_figures(total[k], v) if k in total else v
    return {k: total[k] for k in sorted(total, key=_order)}


# --- character mapping --------------------------------------------------------------------


def map_characters(story: Story, ref: Reference, mentions: Sequence[Span] | None = None) -> dict[str, str]:
    """Predicted character id -> gold character id (see the module docs)."""
    strong: dict[str, Counter[str]] = defaultdict(Counter)  # name evidence: proper-name mentions, names
    weak: dict[str, Counter[str]] = defaultdict(Counter)  # any mention, pronouns included
    mentions = list(story.layer("mentions")) if mentions is None else list(mentions)
    if ref.mentions:
        gold = [m for m in ref.mentions if m.entity is not None]
        for gi, pi in match_spans(gold, mentions, accept=lambda g, p: getattr(p, "character", None) is not None):
            pred = mentions[pi]
            char, ent = str(getattr(pred, "character", "")), str(gold[gi].entity)
            weak[char][ent] += 1
            if getattr(pred, "kind", None) in _NAMED and gold[gi].kind == "proper":
                strong[char][ent] += 1
    if ref.characters:
        owner: dict[str, set[str]] = defaultdict(set)
        for ch in ref.characters:
            for n in names_of(ch):
                owner[n].add(ch.id)
        for c in story.characters:
            names = [(c.name, 1)] + [(a.name, max(1, a.count)) for a in c.aliases]
            for name, count in names:
                ids = owner.get(name.casefold(), set())
                if len(ids) == 1:
                    strong[c.id][next(iter(ids))] += count
    gold_ids = _gold_ids(ref)
    out: dict[str, str] = {}
    for pid in {*strong, *weak}:
        cands = {*strong[pid], *weak[pid]}
        if cands:
            out[pid] = min(cands, key=lambda g: (-strong[pid][g], -weak[pid][g], g))
    for c in story.characters:
        if c.id not in out and c.id in gold_ids:
            out[c.id] = c.id
    for q in story.layer("quotes"):
        for pid in (getattr(q, "speaker", None), *getattr(q, "addressees", ())):
            if pid is not None and pid not in out and pid in gold_ids:
                out[pid] = pid
    return out


def _gold_ids(ref: Reference) -> set[str]:
    ids = {c.id for c in ref.characters or ()}
    ids.update(m.entity for m in ref.mentions or () if m.entity is not None)
    for q in ref.quotes or ():
        if q.speaker is not None:
            ids.add(q.speaker)
        ids.update(q.addressees or ())
    return ids


# --- quotes, speakers, addressees ---------------------------------------------------------


def _quote_figures(story: Story, ref: Reference, quotes: Sequence[Any], mapping: Mapping[str, str]) -> Figures:
    gold: list[RefQuote] = list(ref.quotes or ())
    pairs = match_spans(gold, quotes, accept=lambda g, p: getattr(g, "kind", None) in (None, getattr(p, "kind", None)))
    found = dict(pairs)
    out: Figures = {"quotes": PRF(len(pairs), len(quotes), len(pairs), len(gold))}
    attributed = _attributed(story)
    with_speaker = [i for i, g in enumerate(gold) if g.speaker is not None]

    def right(i: int) -> bool:
        j = found.get(i)
        if j is None:
            return False
        sp = quotes[j].speaker
        return sp is not None and mapping.get(sp) == gold[i].speaker

    if attributed:
        ok = [right(i) for i in with_speaker]
        out["speaker"] = Accuracy(sum(ok), len(ok))
        det = [right(i) for i in with_speaker if i in found]
        out["speaker_detected"] = Accuracy(sum(det), len(det))
        types = sorted({str(gold[i].qtype) for i in with_speaker if gold[i].qtype})
        for t in types:
            sel = [right(i) for i in with_speaker if gold[i].qtype == t]
            out[f"speaker_{t.lower()}"] = Accuracy(sum(sel), len(sel))
    else:
        out["speaker"] = out["speaker_detected"] = Absent("no speakers stage")
        for t in sorted({str(gold[i].qtype) for i in with_speaker if gold[i].qtype}):
            out[f"speaker_{t.lower()}"] = Absent("no speakers stage")
    addressed = [i for i, g in enumerate(gold) if g.addressees and g.kind in (None, "speech")]
    if addressed or any(g.addressees is not None for g in gold):
        if attributed:
            hits = 0
            for i in addressed:
                j = found.get(i)
                if j is not None:
                    pred = {mapping.get(a) for a in quotes[j].addressees}
                    hits += pred == set(gold[i].addressees or ())
            out["addressees"] = Accuracy(hits, len(addressed))
        else:
            out["addressees"] = Absent("no speakers stage")
    if any(g.remembered is not None for g in gold):
        if attributed:
            gold_r = {i for i, g in enumerate(gold) if g.remembered}
            pred_r = {j for j, q in enumerate(quotes) if getattr(q, "remembered", False)}
            both = sum(1 for i, j in pairs if i in gold_r and j in pred_r)
            out["remembered"] = PRF(both, len(pred_r), both, len(gold_r))
        else:
            out["remembered"] = Absent("no speakers stage")
    return out


def _attributed(story: Story) -> bool:
    """Did attribution run? The speakers stage wrote the quotes layer, or some quote has a speaker.

    Decided per story from provenance, so that a story where attribution ran but found
    nothing scores zero, not absent.
    """
    prov = story.provenance.get("quotes")
    if prov is not None and prov.stage == "speakers":
        return True
    return any(getattr(q, "speaker", None) is not None for q in story.layer("quotes"))


# --- mentions and clustering --------------------------------------------------------------


def _mention_figures(story: Story, gold: Sequence[RefMention], mentions: Sequence[Any]) -> Figures:
    if not story.has("mentions"):
        why = Absent("mentions layer")
        return {"mentions_proper": why, "mentions_all": why, "alias_bcubed": why}
    proper_pred = [(m.start_char, m.end_char) for m in mentions if m.kind in _PROPER]
    proper_gold = [(m.start_char, m.end_char) for m in gold if m.kind == "proper"]
    out: Figures = {
        "mentions_proper": exact_prf(proper_gold, proper_pred),
        "mentions_all": exact_prf(
            [(m.start_char, m.end_char) for m in gold], [(m.start_char, m.end_char) for m in mentions]
        ),
    }
    if not story.has("characters") and not any(getattr(m, "character", None) for m in mentions):
        out["alias_bcubed"] = Absent("no characters")
        return out
    g_items = [m for m in gold if m.kind == "proper" and m.entity is not None]
    pairs = match_spans(g_items, mentions, accept=lambda g, p: overlap(g, p) > 0)
    out["alias_bcubed"] = bcubed([g_items[i].entity for i, _ in pairs], [mentions[j].character for _, j in pairs])
    return out


def _alias_characters(story: Story, chars: Sequence[RefCharacter]) -> Figure:
    """GOLD-FORMAT's alias clustering: per gold character with 2+ names in the text, all in one predicted character."""
    if not story.has("characters"):
        return Absent("characters")
    pred_names = [{c.name.casefold(), *(a.name.casefold() for a in c.aliases)} for c in story.characters]
    gold_names = {ch.id: names_of(ch) for ch in chars}
    right = total = 0
    for ch in chars:
        written = {n for n in (ch.name, *ch.aliases) if n and not n[0].islower()}  # names, not nominals
        present = {n.casefold() for n in written if re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", story.text)}
        if len(present) < 2:
            continue
        total += 1
        others = set().union(*(v for k, v in gold_names.items() if k != ch.id)) - gold_names[ch.id]
        right += any(present <= names and not (names & others) for names in pred_names)
    return Accuracy(right, total)


def _speaker_pronouns(
    story: Story, gold: Sequence[RefMention], mentions: Sequence[Any], mapping: Mapping[str, str]
) -> Figure:
    if not story.has("mentions"):
        return Absent("mentions layer")
    by_span = {(m.start_char, m.end_char): m for m in mentions}
    right = 0
    for g in gold:
        m = by_span.get((g.start_char, g.end_char))
        char = getattr(m, "character", None) if m is not None else None
        right += char is not None and mapping.get(char) == g.entity
    return Accuracy(right, len(gold))


# --- point of view, normalisations --------------------------------------------------------


def _pov(story: Story, ref: Reference, mapping: Mapping[str, str]) -> Figure:
    if not story.has("pov"):
        return Absent("pov layer")
    # boundaries of every gold span, predicted span and quote: score segment by segment
    quotes = sorted((q.start_char, q.end_char) for q in ref.quotes or ())
    pred = sorted((p.start_char, p.end_char, getattr(p, "character", None)) for p in story.layer("pov"))
    right = total = 0
    for g in ref.pov or ():
        cuts = {g.start_char, g.end_char}
        for a, b in quotes:
            if a < g.end_char and b > g.start_char:
                cuts.update((max(a, g.start_char), min(b, g.end_char)))
        for a, b, _ in pred:
            if a < g.end_char and b > g.start_char:
                cuts.update((max(a, g.start_char), min(b, g.end_char)))
        pts = sorted(cuts)
        for a, b in pairwise(pts):
            if any(qa <= a and b <= qb for qa, qb in quotes):
                continue
            who = next((c for pa, pb, c in pred if pa <= a and b <= pb), None)
            total += b - a
            if (mapping.get(who) if who is not None else None) == g.character:
                right += b - a
    return Accuracy(right, total)


def _normalizations(story: Story, ref: Reference) -> Figure:
    if not story.has("normalizations"):
        return Absent("normalizations layer")
    gold = {(g.start_char, g.end_char): g for g in ref.normalizations or ()}
    pred = list(story.layer("normalizations"))
    hits = 0
    for p in pred:
        g = gold.get((p.start_char, p.end_char))
        if g is None:
            continue
        allowed = {g.standard.casefold(), *(a.casefold() for a in g.alternatives)}
        hits += str(getattr(p, "standard", "")).casefold() in allowed
    return PRF(hits, len(pred), hits, len(gold))
