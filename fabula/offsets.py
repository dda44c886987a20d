"""Offset maps: from the story's text back to the characters of its source.

Readers change the raw text (line ends, BOM, hard wraps, mojibake, markup removed). Each
change is an :class:`Edit` that replaced ``source[src_start:src_end]`` with
``text[start:end]``. Edits are sorted and disjoint; between two edits (and before the first,
and after the last) text and source run in step, character for character, so any offset
maps back, and any stretch of text outside the edits is identical to its source.

>>> m = OffsetMap.build([Edit(3, 5, 3, 4)])   # "ab\\r\\ncd" -> "ab\\ncd"  (source 3..5 -> text 3..4)
>>> m.to_source(5)
6
>>> m.to_source_span(0, 2)
(0, 2)
>>> m.to_text(6)
5
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Side = Literal["start", "end"]


class Edit(NamedTuple):
    """``source[src_start:src_end]`` became ``text[start:end]`` (a named tuple: cheap to make)."""

    src_start: int
    src_end: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """A sorted tuple of disjoint edits; the identity map when empty."""

    edits: tuple[Edit, ...] = ()
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _src_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Cached for bisect; excluded from equality and repr.
        object.__setattr__(self, "_starts", tuple(e.start for e in self.edits))
        object.__setattr__(self, "_src_starts", tuple(e.src_start for e in self.edits))

    @classmethod
    def build(cls, edits: Iterable[Edit]) -> OffsetMap:
        """Make a map from edits (sorted here into text order)."""
        return cls(tuple(sorted(edits, key=lambda e: (e.start, e.end, e.src_start))))

    @property
    def identity(self) -> bool:
        """True when text offsets equal source offsets everywhere."""
        return all(e.src_end - e.src_start == e.end - e.start and e.src_start == e.start for e in self.edits)

    def to_source(self, offset: int, *, side: Side = "start") -> int:
        """Map a text offset to a source offset.

        ``side="start"`` maps the start of a span: an offset where an edit begins maps to the
        edit's source start (after any source characters deleted just before it). ``side="end"``
        maps the end of a span: an edit that begins at the offset is not part of the span.
        Inside an edit that changed the length, the offset maps to the edit's source start
        (or end, for ``side="end"``); inside one that kept it, character for character.

        >>> m = OffsetMap.build([Edit(0, 3, 0, 1)])
        >>> m.to_source(1), m.to_source(0, side="end")
        (3, 0)
        """
        if side == "end":
            i = bisect_left(self._starts, offset) - 1
        else:
            i = bisect_right(self._starts, offset) - 1
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
        s = self.to_source(start, side="start")
        return s, max(s, self.to_source(end, side="end"))

    def to_text(self, src_offset: int, *, side: Side = "start") -> int:
        """Map a source offset to a text offset (the inverse of :meth:`to_source`).

        >>> OffsetMap.build([Edit(0, 3, 0, 1)]).to_text(3)
        1
        """
        if side == "end":
            i = bisect_left(self._src_starts, src_offset) - 1
        else:
            i = bisect_right(self._src_starts, src_offset) - 1
        if i < 0:
            return src_offset
        e = self.edits[i]
        if src_offset >= e.src_end:
            return e.end + (src_offset - e.src_end)
        if e.end - e.start == e.src_end - e.src_start:
            return e.start + (src_offset - e.src_start)
        if src_offset == e.src_start:
            return e.start
        return e.end if side == "end" else e.start

    def then(self, later: OffsetMap) -> OffsetMap:
        """Compose: ``later`` maps a newer text to this map's text; the result maps it to the source.

        Edits of the two maps that overlap or touch (in the middle text) merge into one
        edit, so the result is exact: outside its edits, newer text and source are identical.

        >>> crlf = OffsetMap.build([Edit(2, 4, 2, 3)])      # "ab\\r\\ncd" -> "ab\\ncd"
        >>> wrap = OffsetMap.build([Edit(2, 3, 2, 3)])      # "ab\\ncd" -> "ab cd"
        >>> crlf.then(wrap).edits
        (Edit(src_start=2, src_end=4, start=2, end=3),)
        """
        if not self.edits:
            return later
        if not later.edits:
            return self
        # Intervals in the middle text: this map's edits are [start, end), the later map's
        # edits are [src_start, src_end); both lists are sorted. Walk them together and merge
        # the intervals that overlap or touch into one edit each.
        a_edits, b_edits = self.edits, later.edits
        na, nb = len(a_edits), len(b_edits)
        i = j = 0
        shift_src = 0  # source - middle, after the last edit of this map passed
        shift_new = 0  # newer - middle, after the last edit of the later map passed
        out: list[Edit] = []
        inf = float("inf")
        while i < na or j < nb:
            a_lo = a_edits[i].start if i < na else inf
            b_lo = b_edits[j].src_start if j < nb else inf
            lo = int(min(a_lo, b_lo))
            hi = lo
            first_src, first_new = shift_src, shift_new
            while True:
                if i < na and a_edits[i].start <= hi:
                    e = a_edits[i]
                    hi = max(hi, e.end)
                    shift_src = e.src_end - e.end
                    i += 1
                elif j < nb and b_edits[j].src_start <= hi:
                    f = b_edits[j]
                    hi = max(hi, f.src_end)
                    shift_new = f.end - f.src_end
                    j += 1
                else:
                    break
            out.append(Edit(lo + first_src, hi + shift_src, lo + first_new, hi + shift_new))
        return OffsetMap(tuple(out))

    def check(self, text_length: int, source_length: int | None = None) -> bool:
        """True when the edits are sorted, disjoint and fit the text (and the source, if given).

        >>> OffsetMap.build([Edit(0, 1, 0, 0)]).check(3, 4)
        True
        """
        pos = src = 0
        for e in self.edits:
            if not (pos <= e.start <= e.end and src <= e.src_start <= e.src_end):
                return False
            if e.start - pos != e.src_start - src:
                return False
            pos, src = e.end, e.src_end
        if text_length < pos:
            return False
        return source_length is None or text_length - pos == source_length - src

    def to_json(self) -> list[list[int]]:
        """``[[src_start, src_end, start, end], ...]``."""
        return [[e.src_start, e.src_end, e.start, e.end] for e in self.edits]

    @classmethod
    def from_json(cls, data: Iterable[Iterable[int]]) -> OffsetMap:
        """Inverse of :meth:`to_json`."""
        return cls(tuple(Edit(*(int(x) for x in row)) for row in data))


class MapBuilder:
    """Builds a text and its offset map piece by piece, in source order.

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


def unchanged_runs(m: OffsetMap, text_length: int) -> list[tuple[int, int, int]]:
    """The stretches the edits leave alone: ``(start, end, src_start)``, text identical to source.

    >>> unchanged_runs(OffsetMap.build([Edit(2, 4, 2, 3)]), 5)
    [(0, 2, 0), (3, 5, 4)]
    """
    runs = []
    pos = src = 0
    for e in m.edits:
        if e.start > pos:
            runs.append((pos, e.start, src))
        pos, src = e.end, e.src_end
    if text_length > pos:
        runs.append((pos, text_length, src))
    return runs


__all__ = ["Edit", "MapBuilder", "OffsetMap", "Side", "unchanged_runs"]
