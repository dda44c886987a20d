"""Offset maps: from the story's text back to the characters of its source.

Readers change the raw text (line ends, BOM, hard wraps, mojibake, markup removed). Each
change is an :class:`Edit` that replaced ``source[src_start:src_end]`` with
``text[start:end]``. Between edits the two run in step, so any offset maps back.

>>> m = OffsetMap.build([Edit(3, 5, 3, 4)])   # "ab\\r\\ncd" -> "ab\\ncd"  (source 3..5 -> text 3..4)
>>> m.to_source(5)
6
>>> m.to_source_span(0, 2)
(0, 2)
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """``source[src_start:src_end]`` became ``text[start:end]``."""

    src_start: int
    src_end: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """A sorted list of edits; the identity map when empty."""

    edits: tuple[Edit, ...] = ()

    @classmethod
    def build(cls, edits: Iterable[Edit]) -> OffsetMap:
        """Make a map from edits in text order."""
        return cls(tuple(sorted(edits, key=lambda e: e.start)))

    @property
    def identity(self) -> bool:
        """True when text offsets equal source offsets everywhere."""
        return all(e.src_end - e.src_start == e.end - e.start and e.src_start == e.start for e in self.edits)

    def to_source(self, offset: int, *, side: str = "start") -> int:
        """Map a text offset to a source offset.

        Inside an edited region the offset maps to the region's source start
        (``side="start"``) or end (``side="end"``); when the edit kept the length, it maps
        character for character.
        """
        if not self.edits:
            return offset
        starts = [e.start for e in self.edits]
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        e = self.edits[i]
        if offset >= e.end:
            return e.src_end + (offset - e.end)
        if e.end - e.start == e.src_end - e.src_start:
            return e.src_start + (offset - e.start)
        if offset == e.start:
            return e.src_start
        return e.src_end if side == "end" else e.src_start

    def to_source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open text span to a half-open source span."""
        return self.to_source(start, side="start"), self.to_source(end, side="end")

    def then(self, later: OffsetMap) -> OffsetMap:
        """Compose: ``later`` maps a newer text to this map's text; the result maps it to the source.

        Only the region boundaries are composed, which is exact for the edits readers make
        (each later edit lies inside unchanged text or covers whole earlier edits).
        """
        if not self.edits:
            return later
        if not later.edits:
            return self
        edits: list[Edit] = []
        for e in later.edits:
            edits.append(Edit(self.to_source(e.src_start), self.to_source(e.src_end, side="end"), e.start, e.end))
        # earlier edits untouched by the later ones, shifted into the newer text
        inv = _Inverse(later)
        covered = [(e.src_start, e.src_end) for e in later.edits]
        for e in self.edits:
            if any(a <= e.start and e.end <= b for a, b in covered):
                continue
            edits.append(Edit(e.src_start, e.src_end, inv.forward(e.start), inv.forward(e.end)))
        return OffsetMap.build(edits)

    def to_json(self) -> list[list[int]]:
        """``[[src_start, src_end, start, end], ...]``."""
        return [[e.src_start, e.src_end, e.start, e.end] for e in self.edits]

    @classmethod
    def from_json(cls, data: Iterable[Iterable[int]]) -> OffsetMap:
        """Inverse of :meth:`to_json`."""
        return cls.build(Edit(*(int(x) for x in row)) for row in data)


class _Inverse:
    """Maps offsets of an older text forward through a map's edits."""

    def __init__(self, m: OffsetMap) -> None:
        self.m = m
        self.src_starts = [e.src_start for e in m.edits]

    def forward(self, src: int) -> int:
        i = bisect_right(self.src_starts, src) - 1
        if i < 0:
            return src
        e = self.m.edits[i]
        if src >= e.src_end:
            return e.end + (src - e.src_end)
        return e.start + min(src - e.src_start, e.end - e.start)


class MapBuilder:
    """Builds a text and its offset map piece by piece.

    >>> b = MapBuilder()
    >>> b.keep("ab", 0); b.replace("\\n", 2, 4); b.keep("cd", 4)
    >>> b.text, b.offsets().to_source(3)
    ('ab\\ncd', 4)
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self._edits: list[Edit] = []

    def keep(self, piece: str, src_start: int) -> None:
        """Append source text unchanged (it starts at ``src_start`` in the source)."""
        # ``src_start`` documents the call; the shift it implies is carried by the edits.
        del src_start
        if piece:
            self._parts.append(piece)
            self._len += len(piece)

    def replace(self, piece: str, src_start: int, src_end: int) -> None:
        """Append ``piece`` in place of ``source[src_start:src_end]``."""
        self._edits.append(Edit(src_start, src_end, self._len, self._len + len(piece)))
        self._parts.append(piece)
        self._len += len(piece)

    @property
    def text(self) -> str:
        """The text built so far."""
        return "".join(self._parts)

    def offsets(self) -> OffsetMap:
        """The map from the built text back to the source."""
        return OffsetMap(tuple(self._edits))
