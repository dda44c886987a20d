"""Read LitBank's coref annotations into texts with character-offset mentions.

Two views of each work: :func:`read_litbank` joins LitBank's tokenised sentences (tokens by
single spaces, sentences by newlines); :func:`read_original` takes the annotated excerpt of the
original Gutenberg text (plus some context) as fabula's reader normalises it, which is the text
the pipeline sees at run time and in ``fabula eval litbank``, with the gold mapped into it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fabula.offsets import OffsetMap


@dataclass(frozen=True)
class GoldMention:
    """A LitBank mention as a character span of the joined text."""

    start: int
    end: int
    text: str
    etype: str
    kind: str
    entity: str


@dataclass(frozen=True)
class Work:
    """One LitBank work: its joined text and its mentions."""

    name: str
    text: str
    mentions: tuple[GoldMention, ...]
    region: tuple[int, int] | None = None
    """The annotated part of ``text`` (None: all of it)."""

    def inside(self, start: int, end: int) -> bool:
        """Is the span within the annotated region?"""
        lo, hi = self.region or (0, len(self.text))
        return lo <= start and end <= hi

    def proper_persons(self) -> list[GoldMention]:
        """Gold PER mentions of kind PROP."""
        return [m for m in self.mentions if m.etype == "PER" and m.kind == "PROP"]


def read_work(ann: Path) -> Work:
    """Read ``<id>_brat.ann`` and its ``.txt`` from a LitBank ``coref/`` folder."""
    lines = ann.with_suffix(".txt").read_text(encoding="utf-8").split("\n")
    offsets: list[list[tuple[int, int]]] = []
    pos = 0
    for line in lines:
        toks = line.split(" ") if line else []
        row = []
        for t in toks:
            row.append((pos, pos + len(t)))
            pos += len(t) + 1
        if not toks:
            pos += 1
        offsets.append(row)
    text = "\n".join(lines)
    mentions: dict[str, tuple[int, int, str, str, str]] = {}
    coref: dict[str, str] = {}
    for raw in ann.read_text(encoding="utf-8").splitlines():
        p = raw.split("\t")
        if p[0] == "MENTION":
            ss, st, es, et = (int(x) for x in p[2:6])
            mentions[p[1]] = (offsets[ss][st][0], offsets[es][et][1], p[6], p[7], p[8])
        elif p[0] == "COREF":
            coref[p[1]] = p[2]
    out = [GoldMention(s, e, t, ty, k, coref.get(tid, tid)) for tid, (s, e, t, ty, k) in mentions.items()]
    for m in out:
        assert text[m.start : m.end] == m.text, (ann, m)
    return Work(ann.name.removesuffix("_brat.ann"), text, tuple(sorted(out, key=lambda m: (m.start, -m.end))))


def read_litbank(folder: Path) -> list[Work]:
    """Every work of a LitBank folder (``folder/coref/*.ann``), sorted by name."""
    return [read_work(p) for p in sorted((folder / "coref").glob("*_brat.ann"))]


def _to_text(offsets: OffsetMap, base: int, start: int, end: int) -> tuple[int, int]:
    """A span of the original file as a span of the story read from ``file[base:]``."""
    s = offsets.to_text(start - base)
    return s, max(s, offsets.to_text(end - base, side="end"))


def read_original(folder: Path, *, context: int = 2000) -> list[Work]:
    """Every work as fabula reads it: the annotated excerpt of ``original/<id>.txt`` with
    ``context`` characters either side (cut at paragraph breaks, as ``fabula.eval.litbank``
    does), normalised by fabula's text reader, and the gold mentions mapped into that text."""
    from fabula.eval.litbank import analysis_window, load_litbank
    from fabula.readers.text import text_story

    out = []
    for w in load_litbank(folder):
        text = w.text
        lo, hi = w.region
        a, b = analysis_window(text, lo, hi, context=context)
        story = text_story(text[a:b])
        mentions = []
        for g in w.mentions:
            s, e = _to_text(story.source.offsets, a, g.start_char, g.end_char)
            mentions.append(GoldMention(s, e, story.text[s:e], g.label, g.kind, g.entity or g.mid))
        region = _to_text(story.source.offsets, a, lo, hi)
        out.append(Work(w.id, story.text, tuple(sorted(mentions, key=lambda g: (g.start, -g.end))), region))
    return out
