"""Reference annotations: one shape for every gold source ``fabula eval`` reads.

A :class:`Reference` is what a careful reader found in one text: quotes (with speaker,
addressees and, when the source has it, a quote type), person mentions, characters with
their names, point of view, normalisations and misspellings, all as half-open character
spans into ``Reference.text``. A field left as None means the source does not annotate it
(and the figure is not reported); an empty tuple means it annotates it and found none.
Readers: :func:`load_gold` (``fabula-gold/1``, see ../shared/corpus/GOLD-FORMAT.md),
:func:`fabula.eval.litbank.to_reference` and :func:`fabula.eval.pdnc.read_novel`.

>>> ref = Reference(name="demo", text='"Hi," said Ann.', quotes=(RefQuote(0, 5, speaker="ann"),))
>>> ref.quotes[0].kind is None   # kind not annotated: a match ignores it
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fabula.errors import Errors, EvalError
from fabula.model import Span


@dataclass(frozen=True, slots=True)
class RefQuote(Span):
    """A gold quote. ``kind`` None: the source does not tell speech from thought.

    ``addressees`` None: not annotated. ``qtype``: the source's quote type (PDNC's
    Explicit / Anaphoric / Implicit), when it has one.
    """

    kind: str | None = None
    speaker: str | None = None
    addressees: tuple[str, ...] | None = None
    qtype: str | None = None
    remembered: bool | None = None


@dataclass(frozen=True, slots=True)
class RefMention(Span):
    """A gold person mention: ``kind`` is ``proper``, ``nominal`` or ``pronoun``; ``entity`` its character."""

    entity: str | None = None
    kind: str = "proper"


@dataclass(frozen=True, slots=True)
class RefCharacter:
    """A gold character and every name the text uses for it."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    gender: str | None = None


@dataclass(frozen=True, slots=True)
class RefPov(Span):
    """A stretch of narration and its focal character (None: an outside narrator)."""

    character: str | None = None


@dataclass(frozen=True, slots=True)
class RefNormalization(Span):
    """A non-standard spelling and its standard form(s)."""

    standard: str = ""
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefMisspelling(Span):
    """A misspelling and its suggested correction."""

    suggestion: str = ""


@dataclass(frozen=True)
class Reference:
    """The gold annotations of one text; None fields are not annotated by the source.

    ``region`` limits scoring to the annotated stretch (a LitBank excerpt inside its novel):
    predictions outside it are ignored. ``outermost_quotes``: the source annotates only
    outermost quotations (LitBank, PDNC), so predicted quotes nested inside another
    predicted quote are not scored. ``speaker_pronouns`` are the gold pronoun mentions
    that tag a quote's speech (see :mod:`fabula.eval.score`).
    """

    name: str
    text: str
    region: tuple[int, int] | None = None
    outermost_quotes: bool = False
    quotes: tuple[RefQuote, ...] | None = None
    mentions: tuple[RefMention, ...] | None = None
    characters: tuple[RefCharacter, ...] | None = None
    speaker_pronouns: tuple[RefMention, ...] | None = None
    pov: tuple[RefPov, ...] | None = None
    normalizations: tuple[RefNormalization, ...] | None = None
    misspellings: tuple[RefMisspelling, ...] | None = None


# --- fabula-gold/1 ---------------------------------------------------------------------------

GOLD_SCHEMA = "fabula-gold/1"


def gold_files(path: str | Path) -> list[Path]:
    """The ``fabula-gold/1`` files at ``path``: the file itself, or every ``*.json`` under a folder that is one."""
    p = Path(path)
    if p.is_file():
        return [p]
    if not p.is_dir():
        raise EvalError(Errors.E801.format(path=p))
    found = [f for f in sorted(p.rglob("*.json")) if _is_gold(f)]
    if not found:
        raise EvalError(Errors.E802.format(path=p, schema=GOLD_SCHEMA))
    return found


def _is_gold(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8") as f:
            head = f.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return GOLD_SCHEMA in head


def read_gold_json(path: Path) -> dict[str, Any]:
    """Read and check a gold file; raises :class:`EvalError` when it is not ``fabula-gold/1``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise EvalError(Errors.E803.format(path=path, reason=e)) from e
    if not isinstance(data, dict) or data.get("schema") != GOLD_SCHEMA:
        schema = data.get("schema") if isinstance(data, dict) else None
        raise EvalError(Errors.E804.format(path=path, expected=GOLD_SCHEMA, schema=repr(schema)))
    if not isinstance(data.get("text"), str):
        raise EvalError(Errors.E805.format(path=path))
    return data


def gold_story_path(path: Path, data: dict[str, Any]) -> Path:
    """The story file a gold file annotates (``text``, relative to the gold file)."""
    story = path.parent / str(data["text"])
    if not story.is_file():
        raise EvalError(Errors.E806.format(path=path, name=data["text"], story=story))
    return story


def uses_offsets(data: dict[str, Any]) -> bool:
    """True when the gold items carry ``start``/``end`` offsets (else they are matched by their ``text``)."""
    items = [x for key in ("quotes", "normalizations", "misspellings") for x in data.get(key) or []]
    return all("start" in x and "end" in x for x in items)


def load_gold(path: str | Path, text: str, data: dict[str, Any] | None = None) -> Reference:
    """Build a :class:`Reference` from a gold file for the story ``text``.

    ``text`` is the story file decoded as UTF-8 when the gold has offsets, or the text a
    fabula reader made of it when the gold gives ``text`` fields instead (they are then
    found in order; items not found are dropped).
    """
    p = Path(path)
    data = data if data is not None else read_gold_json(p)
    locate = _Locator(text)
    quotes: list[RefQuote] = []
    for q in data.get("quotes") or []:
        span = locate(q, "quotes")
        if span is None:
            continue
        quotes.append(
            RefQuote(
                *span,
                kind=q.get("kind", "speech"),
                speaker=q.get("speaker"),
                addressees=tuple(q.get("addressees") or ()),
                qtype=q.get("type"),
                remembered=bool(q.get("remembered", False)),
            )
        )
    chars = tuple(
        RefCharacter(
            id=str(c["id"]),
            name=str(c.get("name", c["id"])),
            aliases=tuple(str(a) for a in c.get("aliases") or ()),
            gender=c.get("gender"),
        )
        for c in data.get("characters") or []
    )
    pov = None
    if "pov" in data:
        pov = tuple(RefPov(int(x["start"]), int(x["end"]), character=x.get("character")) for x in data["pov"] or [])
    norms = None
    if "normalizations" in data:
        norms = tuple(
            RefNormalization(
                *span, standard=str(x.get("standard", "")), alternatives=tuple(x.get("alternatives") or ())
            )
            for x in data["normalizations"] or []
            if (span := locate(x, "normalizations", key="form")) is not None
        )
    miss = None
    if "misspellings" in data:
        miss = tuple(
            RefMisspelling(*span, suggestion=str(x.get("suggestion", "")))
            for x in data["misspellings"] or []
            if (span := locate(x, "misspellings", key="form")) is not None
        )
    for item in [*quotes, *(pov or ()), *(norms or ()), *(miss or ())]:
        if not 0 <= item.start_char <= item.end_char <= len(text):
            raise EvalError(Errors.E807.format(where=p, start=item.start_char, end=item.end_char, n=len(text)))
    return Reference(
        name=str(p),
        text=text,
        quotes=tuple(quotes),
        characters=chars,
        pov=pov,
        normalizations=norms,
        misspellings=miss,
    )


class _Locator:
    """Gives each gold item its span: its offsets, or else its text found in order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.after: dict[str, int] = {}

    def __call__(self, item: dict[str, Any], group: str, key: str = "text") -> tuple[int, int] | None:
        if "start" in item and "end" in item:
            return int(item["start"]), int(item["end"])
        words = item.get(key) or item.get("text")
        if not isinstance(words, str) or not words.strip():
            return None
        pos = self.after.get(group, 0)
        found = _find_loose(self.text, words, pos)
        if found is None:
            return None
        self.after[group] = found[0] + 1
        return found


def _find_loose(text: str, words: str, pos: int) -> tuple[int, int] | None:
    """Find ``words`` in ``text`` from ``pos``, any run of white space matching any other.

    >>> _find_loose("a  b\\nc", "b c", 0)
    (3, 6)
    """
    i = text.find(words, pos)
    if i >= 0:
        return i, i + len(words)
    pattern = r"\s+".join(re.escape(w) for w in words.split())
    m = re.compile(pattern).search(text, pos)
    return (m.start(), m.end()) if m else None


def iter_paragraph_bounds(text: str, lo: int = 0, hi: int | None = None) -> Iterator[tuple[int, int]]:
    """Paragraphs of ``text[lo:hi]`` as ``(start, end)``: runs of text between blank lines.

    >>> list(iter_paragraph_bounds("ab\\ncd\\n\\nef"))
    [(0, 5), (7, 9)]
    """
    hi = len(text) if hi is None else hi
    for m in re.compile(r"\S(?:.|\n(?![ \t]*\n))*").finditer(text, lo, hi):
        yield m.start(), m.end()


def names_of(ch: RefCharacter) -> set[str]:
    """Every name of a gold character, case-folded.

    >>> sorted(names_of(RefCharacter("g", "Ichimaru Gin", ("Gin",))))
    ['gin', 'ichimaru gin']
    """
    return {n.casefold() for n in (ch.name, *ch.aliases) if n}


def spans_sorted(spans: Sequence[Span]) -> list[Span]:
    """Spans in text order."""
    return sorted(spans, key=lambda s: (s.start_char, s.end_char))
