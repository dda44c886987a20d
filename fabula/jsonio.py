"""The ``fabula/1`` JSON document: writing and reading a Story.

Spans are written as ``start`` / ``end`` (half-open character offsets into ``text``)
with the ``text`` they cover; reading checks that every span slices back to that text.
The schema is documented in ``docs/schema.md``.
"""

from __future__ import annotations

import dataclasses
import json
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache, partial
from itertools import islice
from typing import Any

from fabula.errors import Errors, SchemaError, SpanError
from fabula.model import (
    LAYER_TYPES,
    Alias,
    Character,
    Metadata,
    Provenance,
    Source,
    Span,
    Story,
    Tokens,
)
from fabula.offsets import OffsetMap

SCHEMA = "fabula/1"


def span_to_dict(story: Story, span: Span) -> dict[str, Any]:
    """One annotation as a JSON object: ``start``, ``end``, ``text`` and its fields."""
    d: dict[str, Any] = {"start": span.start_char, "end": span.end_char, "text": story.span_text(span)}
    for f in dataclasses.fields(span):
        if f.name in ("start_char", "end_char"):
            continue
        v = getattr(span, f.name)
        d[f.name] = list(v) if isinstance(v, tuple) else v
    return d


def story_to_dict(story: Story) -> dict[str, Any]:
    """The whole story as plain JSON-able data."""
    md = {f.name: _plain(getattr(story.metadata, f.name)) for f in dataclasses.fields(Metadata)}
    md["extra"] = dict(story.metadata.extra)
    src = story.source
    return {
        "schema": SCHEMA,
        "text": story.text,
        "metadata": md,
        "source": {
            "path": src.path,
            "format": src.format,
            "encoding": src.encoding,
            "sha256": src.sha256,
            "offsets": src.offsets.to_json(),
            "repairs": list(src.repairs),
            "skipped": list(src.skipped),
            "origins": [list(o) for o in src.origins],
        },
        "characters": [
            {
                # field names as in corpus/GOLD-FORMAT.md: aliases are names, gender the pronouns used
                "id": c.id,
                "name": c.name,
                "aliases": [a.name for a in c.aliases],
                "alias_counts": {a.name: a.count for a in c.aliases},
                "gender": c.pronouns,
                "first_char": c.first_char,
                "mentions": c.mentions,
                "speaks": c.speaks,
                "mentioned_only": c.mentioned_only,
            }
            for c in story.characters
        ],
        "layers": {name: [span_to_dict(story, s) for s in spans] for name, spans in story.layers.items()},
        "tokens": None
        if story.tokens is None
        else {"start": story.tokens.starts.tolist(), "end": story.tokens.ends.tolist()},
        "provenance": {k: {"stage": v.stage, "version": v.version} for k, v in story.provenance.items()},
        "warnings": list(story.warnings),
    }


def _plain(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    return v


def story_to_json(story: Story, *, indent: int | None = None) -> str:
    """Serialise to a JSON string (the same text as ``json.dumps(story_to_dict(story))``)."""
    return "".join(iter_json(story, indent=indent))


def iter_json(story: Story, *, indent: int | None = None) -> Iterator[str]:
    """The JSON of :func:`story_to_json` in pieces, without first building the whole document.

    Annotations are turned into dicts one at a time and tokens written straight from their
    arrays, which keeps the memory of serialising a long story near the size of its text.

    >>> from fabula.model import Story
    >>> s = Story(text="Hi.")
    >>> "".join(iter_json(s, indent=2)) == json.dumps(story_to_dict(s), ensure_ascii=False, indent=2)
    True
    """
    head = story_to_dict(story.replace(layers={}, tokens=None))
    layers = story.layers.items()
    head["layers"] = {name: _Lazy(partial(_span_dicts, story, spans), len(spans)) for name, spans in layers}
    if story.tokens is not None:
        head["tokens"] = {"start": story.tokens.starts, "end": story.tokens.ends}
    return _pieces(head, indent, 0)


def _span_dicts(story: Story, spans: Iterable[Span]) -> Iterator[dict[str, Any]]:
    return (span_to_dict(story, s) for s in spans)


class _Lazy:
    """A JSON array whose items are made when written."""

    def __init__(self, items: Callable[[], Iterable[Any]], size: int) -> None:
        self.items, self.size = items, size

    def __len__(self) -> int:
        return self.size


def _pieces(value: Any, indent: int | None, level: int) -> Iterator[str]:
    """``json.dumps(value, ensure_ascii=False, indent=indent)`` at nesting ``level``, in pieces."""
    encode = _encoder(indent).encode
    pad = "" if indent is None else "\n" + " " * (indent * level)
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        inner = "" if indent is None else pad + " " * indent
        yield "{" + inner
        for k, (key, item) in enumerate(value.items()):
            yield ("" if not k else ", " if indent is None else "," + inner) + encode(key) + ": "
            yield from _pieces(item, indent, level + 1)
        yield pad + "}"
    elif isinstance(value, _Lazy | array) and len(value):
        # Blocks of items go through the C encoder as lists; their brackets are cut off.
        items = iter(value.items() if isinstance(value, _Lazy) else value)
        first = True
        while block := list(islice(items, _BLOCK)):
            text = encode(block)
            if indent is not None and level:
                text = text.replace("\n", pad)
            inner = text[1 : len(text) - 1 - len(pad)]  # "[" ... pad "]"
            yield ("[" if first else ", " if indent is None else ",") + inner
            first = False
        yield pad + "]"
    elif isinstance(value, _Lazy | array):
        yield "[]"
    else:
        text = encode(value)
        yield text.replace("\n", pad) if indent is not None and level else text


@lru_cache(maxsize=8)
def _encoder(indent: int | None) -> json.JSONEncoder:
    return json.JSONEncoder(ensure_ascii=False, indent=indent)


_BLOCK = 8192


def _tuplify(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_tuplify(x) for x in v)
    return v


def story_from_json(data: str | bytes | Mapping[str, Any]) -> Story:
    """Read a ``fabula/1`` document; raises :class:`SchemaError` or :class:`SpanError`."""
    try:
        doc: Any = json.loads(data) if isinstance(data, (str, bytes)) else data
    except json.JSONDecodeError as e:
        raise SchemaError(Errors.E054.format(detail=str(e))) from e
    if not isinstance(doc, Mapping):
        raise SchemaError(Errors.E054.format(detail="the top level is not an object"))
    if doc.get("schema") != SCHEMA:
        raise SchemaError(Errors.E053.format(schema=doc.get("schema")))
    try:
        text = doc["text"]
        if not isinstance(text, str):
            raise SchemaError(Errors.E054.format(detail=f"'text' is {type(text).__name__}, not a string"))
        md_raw = dict(doc.get("metadata") or {})
        extra = md_raw.pop("extra", {}) or {}
        md = Metadata(**{k: _tuplify(v) for k, v in md_raw.items()}, extra=tuple(extra.items()))
        s = doc.get("source") or {}
        source = Source(
            path=s.get("path"),
            format=s.get("format", "text"),
            encoding=s.get("encoding"),
            sha256=s.get("sha256"),
            offsets=OffsetMap.from_json(s.get("offsets", [])),
            repairs=tuple(s.get("repairs", [])),
            skipped=tuple(s.get("skipped", [])),
            origins=tuple((int(o[0]), str(o[1]), str(o[2]), int(o[3])) for o in s.get("origins", [])),
        )
        layers: dict[str, tuple[Span, ...]] = {}
        for name, items in (doc.get("layers") or {}).items():
            cls = LAYER_TYPES.get(name, Span)
            names = {f.name for f in dataclasses.fields(cls)}
            spans = []
            for it in items:
                kw = {k: _tuplify(v) for k, v in it.items() if k in names}
                span = cls(start_char=it["start"], end_char=it["end"], **kw)
                _check(text, name, span, it.get("text"))
                spans.append(span)
            layers[name] = tuple(spans)
        tok = doc.get("tokens")
        tokens = None if tok is None else Tokens(array("l", tok["start"]), array("l", tok["end"]))
        if tokens is not None:
            _check_tokens(text, tokens)
        if not source.offsets.check(len(text)):
            raise SchemaError(Errors.E054.format(detail="source.offsets are not sorted, disjoint edits"))
        chars = tuple(
            Character(
                id=c["id"],
                name=c["name"],
                aliases=tuple(_alias(a, c.get("alias_counts") or {}) for a in c.get("aliases", [])),
                pronouns=c.get("gender", c.get("pronouns", "unknown")),
                first_char=c.get("first_char"),
                mentions=c.get("mentions", 0),
                speaks=c.get("speaks", False),
                mentioned_only=c.get("mentioned_only", False),
            )
            for c in doc.get("characters", [])
        )
        prov = {k: Provenance(v["stage"], v.get("version", "1")) for k, v in (doc.get("provenance") or {}).items()}
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as e:
        if isinstance(e, SchemaError | SpanError):
            raise
        raise SchemaError(Errors.E054.format(detail=f"{type(e).__name__}: {e}")) from e
    return Story(
        text=text,
        metadata=md,
        source=source,
        layers=layers,
        tokens=tokens,
        characters=chars,
        provenance=prov,
        warnings=tuple(doc.get("warnings", [])),
    )


def _alias(a: Any, counts: Mapping[str, int]) -> Alias:
    """An alias from a name (with its count from ``alias_counts``) or an old ``{name, count}`` object."""
    if isinstance(a, Mapping):
        return Alias(a["name"], a.get("count", 0))
    return Alias(str(a), int(counts.get(a, 0)))


def _check_tokens(text: str, tokens: Tokens) -> None:
    """Tokens must be non-empty, in order, without overlaps, inside the text."""
    if len(tokens.starts) != len(tokens.ends):
        raise SchemaError(Errors.E054.format(detail="tokens.start and tokens.end differ in length"))
    prev = 0
    for s, e in zip(tokens.starts, tokens.ends, strict=True):
        if not prev <= s < e <= len(text):
            raise SpanError(Errors.E050.format(start=s, end=e, layer="tokens", length=len(text)))
        prev = e


def _check(text: str, layer: str, span: Span, claimed: str | None) -> None:
    if not 0 <= span.start_char <= span.end_char <= len(text):
        raise SpanError(Errors.E050.format(start=span.start_char, end=span.end_char, layer=layer, length=len(text)))
    actual = text[span.start_char : span.end_char]
    if claimed is not None and claimed != actual:
        raise SpanError(
            Errors.E051.format(start=span.start_char, end=span.end_char, layer=layer, claimed=claimed, actual=actual)
        )
