"""Read LitBank's tokenised coref files into texts with character-offset mentions.

Each work becomes one text: its sentences joined by newlines, its tokens by single spaces,
so that fabula's run-time feature code reads it as it reads a story.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
