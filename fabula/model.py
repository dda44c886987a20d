"""The data model: one immutable text and typed layers of stand-off annotations.

A :class:`Story` holds the story's text, its metadata, a map back to the source file and
named layers. Every annotation is a half-open character span ``[start_char, end_char)``
into ``Story.text``; its ``text`` is always sliced from the story, never stored apart.
Stages never mutate a story: they return a new one with :meth:`Story.with_layer`.

>>> s = Story(text="Hello there.")
>>> s = s.with_layer("paragraphs", (Paragraph(0, 12),), stage="demo")
>>> s.span_text(s.layer("paragraphs")[0])
'Hello there.'
"""

from __future__ import annotations

import dataclasses
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, ClassVar, Literal, overload

from fabula.errors import Errors, SpanError
from fabula.offsets import OffsetMap

QuoteKind = Literal["speech", "thought"]
ParatextKind = Literal[
    "author-note", "disclaimer", "summary", "notes", "end-notes", "title", "header", "epigraph"
]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character span ``[start_char, end_char)`` into ``Story.text``."""

    start_char: int
    end_char: int

    def __len__(self) -> int:
        return self.end_char - self.start_char

    def contains(self, other: Span) -> bool:
        """True when ``other`` lies inside this span.

        >>> Span(0, 10).contains(Span(2, 5))
        True
        """
        return self.start_char <= other.start_char and other.end_char <= self.end_char

    def overlaps(self, other: Span) -> bool:
        """True when the two spans share at least one character.

        >>> Span(0, 3).overlaps(Span(3, 5))
        False
        """
        return self.start_char < other.end_char and other.start_char < self.end_char


@dataclass(frozen=True, slots=True)
class Paragraph(Span):
    """A paragraph of the story (or of its paratext)."""


@dataclass(frozen=True, slots=True)
class Sentence(Span):
    """A sentence; always inside one paragraph."""


@dataclass(frozen=True, slots=True)
class SceneBreak(Span):
    """A scene-break marker line such as ``* * *`` or ``xXx``; ``form`` is its normalised shape."""

    form: str = ""


@dataclass(frozen=True, slots=True)
class Scene(Span):
    """A scene: the story text between two scene breaks (or chapter edges)."""

    index: int = 0


@dataclass(frozen=True, slots=True)
class Chapter(Span):
    """A chapter, with its title when the source gives one."""

    title: str | None = None
    index: int = 0


@dataclass(frozen=True, slots=True)
class Paratext(Span):
    """Text around the story that is not story: author's notes, disclaimers, summaries."""

    kind: str = "author-note"


@dataclass(frozen=True, slots=True)
class Emphasis(Span):
    """Emphasised text (italics from HTML, ``*x*`` / ``_x_`` in Markdown); ``marker`` tells which."""

    marker: str = "em"


@dataclass(frozen=True, slots=True)
class Quote(Span):
    """A quotation or a marked thought, its marks included.

    ``speaker`` and ``addressees`` are character ids (see the ``characters`` list);
    ``speaker`` is None until attribution has run or when the evidence is too weak.
    ``nested``: a quote inside another quote. ``continued``: the next paragraph's piece of a
    speech running over several paragraphs (its speaker is the previous piece's).
    """

    kind: str = "speech"
    speaker: str | None = None
    addressees: tuple[str, ...] = ()
    confidence: float = 0.0
    remembered: bool = False
    closed: bool = True
    method: str | None = None
    nested: bool = False
    continued: bool = False


@dataclass(frozen=True, slots=True)
class Mention(Span):
    """A mention of a character: ``kind`` is ``proper``, ``title``, ``nominal`` or ``pronoun``."""

    character: str | None = None
    kind: str = "proper"


@dataclass(frozen=True, slots=True)
class Alias:
    """One surface name of a character and how often the text uses it."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Character:
    """A character of the story under every name it goes by."""

    id: str
    name: str
    aliases: tuple[Alias, ...] = ()
    pronouns: str = "unknown"
    first_char: int | None = None
    mentions: int = 0
    speaks: bool = False
    mentioned_only: bool = False


@dataclass(frozen=True, slots=True)
class Tokens:
    """The token layer, stored as two integer arrays for speed and memory.

    Tokens never contain white space; the white space after a token runs to the next one.

    >>> t = Tokens.from_pairs([(0, 2), (3, 5)])
    >>> len(t), t[1]
    (2, Span(start_char=3, end_char=5))
    """

    starts: array[int] = field(default_factory=lambda: array("l"))
    ends: array[int] = field(default_factory=lambda: array("l"))

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[int, int]]) -> Tokens:
        """Build from ``(start, end)`` pairs."""
        return cls(array("l", (p[0] for p in pairs)), array("l", (p[1] for p in pairs)))

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, i: int) -> Span: ...
    @overload
    def __getitem__(self, i: slice) -> list[Span]: ...
    def __getitem__(self, i: int | slice) -> Span | list[Span]:
        if isinstance(i, slice):
            return [Span(s, e) for s, e in zip(self.starts[i], self.ends[i], strict=True)]
        return Span(self.starts[i], self.ends[i])

    def __iter__(self) -> Iterator[Span]:
        for s, e in zip(self.starts, self.ends, strict=True):
            yield Span(s, e)


Layer = tuple[Span, ...]

#: Layer name -> annotation class; used by the JSON reader and for validation.
LAYER_TYPES: dict[str, type[Span]] = {
    "paragraphs": Paragraph,
    "sentences": Sentence,
    "scene_breaks": SceneBreak,
    "scenes": Scene,
    "chapters": Chapter,
    "paratext": Paratext,
    "emphasis": Emphasis,
    "quotes": Quote,
    "mentions": Mention,
}


@dataclass(frozen=True, slots=True)
class Metadata:
    """What is known about the work besides its text (from AO3 / FanFicFare headers and the like)."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    rating: str | None = None
    warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    additional_tags: tuple[str, ...] = ()
    language: str | None = None
    series: tuple[tuple[str, int | None], ...] = ()
    collections: tuple[str, ...] = ()
    published: str | None = None
    updated: str | None = None
    completed: str | None = None
    words: int | None = None
    chapters: str | None = None
    source_url: str | None = None
    work_id: str | None = None
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Source:
    """Where the text came from and how to map it back.

    ``offsets`` maps character offsets in ``Story.text`` to character offsets in the decoded
    source (``path`` read with ``encoding``); ``repairs`` lists what the reader changed.
    """

    path: str | None = None
    format: str = "text"
    encoding: str | None = None
    sha256: str | None = None
    offsets: OffsetMap = field(default_factory=OffsetMap)
    repairs: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    #: Issue 5: where each block of the text came from, for HTML, EPUB and PDF sources:
    #: ``(start_char, part, element, offset)`` = the block starting at ``start_char`` in the text
    #: comes from file ``part`` (an EPUB member, a PDF page, "" for a single file), element
    #: ``element`` (a short CSS-like path), at character ``offset`` of that part's decoded text.
    origins: tuple[tuple[int, str, str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Provenance:
    """Which stage made a layer, at which version."""

    stage: str
    version: str = "1"


@dataclass(frozen=True, slots=True)
class Story:
    """One story: an immutable text and its annotation layers.

    Build one with :func:`fabula.analyze` or :func:`fabula.read`; stages return new stories
    with :meth:`with_layer`. Layers are read with :meth:`layer`.
    """

    text: str
    metadata: Metadata = field(default_factory=Metadata)
    source: Source = field(default_factory=Source)
    layers: Mapping[str, Layer] = field(default_factory=dict)
    tokens: Tokens | None = None
    characters: tuple[Character, ...] = ()
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    SCHEMA: ClassVar[str] = "fabula/1"

    def has(self, name: str) -> bool:
        """True when the layer ``name`` (or ``tokens`` / ``characters``) is present."""
        if name == "tokens":
            return self.tokens is not None
        if name == "characters":
            return "characters" in self.provenance
        return name in self.layers

    def layer(self, name: str) -> Layer:
        """The annotations of layer ``name``, in text order; empty when absent."""
        return self.layers.get(name, ())

    def span_text(self, span: Span) -> str:
        """The text a span covers.

        >>> Story(text="abc").span_text(Span(1, 3))
        'bc'
        """
        return self.text[span.start_char : span.end_char]

    def source_span(self, span: Span) -> tuple[int, int]:
        """Where a span lies in the decoded source file (before line ends, wraps, ... were changed).

        >>> from fabula.readers.text import text_story
        >>> s = text_story("One\\r\\ntwo")
        >>> s.source_span(Span(4, 7))
        (5, 8)
        """
        return self.source.offsets.to_source_span(span.start_char, span.end_char)

    def with_layer(self, name: str, spans: Sequence[Span], *, stage: str, version: str = "1") -> Story:
        """A copy of this story with layer ``name`` set to ``spans`` (sorted, checked)."""
        ordered = tuple(sorted(spans, key=lambda s: (s.start_char, -s.end_char)))
        n = len(self.text)
        for s in ordered:
            if not 0 <= s.start_char <= s.end_char <= n:
                raise SpanError(Errors.E050.format(start=s.start_char, end=s.end_char, layer=name, length=n))
        layers = dict(self.layers)
        layers[name] = ordered
        prov = dict(self.provenance)
        prov[name] = Provenance(stage, version)
        return dataclasses.replace(self, layers=layers, provenance=prov)

    def with_tokens(self, tokens: Tokens, *, stage: str, version: str = "1") -> Story:
        """A copy of this story with the token layer set."""
        prov = dict(self.provenance)
        prov["tokens"] = Provenance(stage, version)
        return dataclasses.replace(self, tokens=tokens, provenance=prov)

    def with_characters(
        self, characters: Sequence[Character], *, stage: str, version: str = "1"
    ) -> Story:
        """A copy of this story with the character list set."""
        prov = dict(self.provenance)
        prov["characters"] = Provenance(stage, version)
        return dataclasses.replace(self, characters=tuple(characters), provenance=prov)

    def with_warnings(self, *messages: str) -> Story:
        """A copy of this story with more warnings recorded (duplicates dropped)."""
        new = tuple(m for m in messages if m not in self.warnings)
        return dataclasses.replace(self, warnings=self.warnings + new) if new else self

    def replace(self, **changes: Any) -> Story:
        """A copy with some fields changed (``metadata``, ``source``, ...)."""
        return dataclasses.replace(self, **changes)

    def character(self, char_id: str | None) -> Character | None:
        """The character with id ``char_id``, or None."""
        for c in self.characters:
            if c.id == char_id:
                return c
        return None

    def story_paragraphs(self) -> list[Paragraph]:
        """Paragraphs that are story (not paratext, not scene-break markers)."""
        para = [p for p in self.layer("paragraphs") if isinstance(p, Paragraph)]
        skip = sorted((s.start_char, s.end_char) for s in (*self.layer("paratext"), *self.layer("scene_breaks")))
        if not skip:
            return para
        # p overlaps a skipped span when one that starts before p ends also ends after p starts:
        # the furthest end among the spans starting before each point answers that in one look-up.
        starts = [s for s, _ in skip]
        reach = list(accumulate((e for _, e in skip), max))
        out = []
        for p in para:
            k = bisect_left(starts, p.end_char)
            if not (k and reach[k - 1] > p.start_char):
                out.append(p)
        return out

    def to_json(self, *, indent: int | None = None) -> str:
        """Serialise to the documented ``fabula/1`` JSON (see docs/schema.md)."""
        from fabula.jsonio import story_to_json

        return story_to_json(self, indent=indent)

    def iter_json(self, *, indent: int | None = None) -> Iterator[str]:
        """The text of :meth:`to_json` in pieces, for writing a large story without holding it whole.

        >>> s = Story(text="Hi.")
        >>> "".join(s.iter_json()) == s.to_json()
        True
        """
        from fabula.jsonio import iter_json

        return iter_json(self, indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes | Mapping[str, Any]) -> Story:
        """Read a story written by :meth:`to_json`; every span is checked against the text."""
        from fabula.jsonio import story_from_json

        return story_from_json(data)


# Issue 6: voice normalisation, spelling, point of view, mood and writers' feedback.


@dataclass(frozen=True, slots=True)
class Normalization(Span):
    """A non-standard (eye-dialect) spelling in speech and its standard form: ``blushin'`` -> ``blushing``."""

    form: str = ""
    standard: str = ""
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Misspelling(Span):
    """A word (or words) that looks misspelt or confused, with a suggestion and a one-line reason."""

    suggestion: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Pov(Span):
    """Whose head a passage is in: ``person`` is ``first``, ``third`` or ``outside`` (no one's).

    ``head_hop`` is True when the POV changed here inside a scene, with no break.
    """

    character: str | None = None
    person: str = "third"
    head_hop: bool = False


@dataclass(frozen=True, slots=True)
class Valence(Span):
    """The emotional valence of a paragraph, in [-1, 1] (VADER's compound score)."""

    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Feedback(Span):
    """One note for the writer: ``kind`` (``head-hop``, ``spelling``, ...) and a one-line reason."""

    kind: str = ""
    reason: str = ""


LAYER_TYPES.update(
    {
        "normalizations": Normalization,
        "misspellings": Misspelling,
        "pov": Pov,
        "valence": Valence,
        "feedback": Feedback,
    }
)
