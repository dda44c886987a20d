"""The tables of a corpus dataset: their Arrow schemas and the rows one analysed work gives.

Every table has a ``work_id`` column (16 hex digits of the SHA-256 of the work's path or URL),
so that tables join on it. Offsets are half-open character offsets into the analysed text
(``start`` / ``end``) and, where the reader changed the text, back into the source file
(``source_start`` / ``source_end``). Layers that no stage has produced yet give no rows; their
tables are still written, with their schema. Fields a stage adds that a table has no column
for are kept as JSON in the ``attrs`` column, so that the schema stays fixed.

The rows are plain Python values (they travel from worker processes to the writer); the
writer turns them into Arrow tables with :data:`SCHEMAS`.

>>> from fabula.model import Story
>>> rows = story_rows(Story(text="Hi."), work_id="ab", key="/x.txt", sha256="00", size=3)
>>> rows["works"][0]["words"], rows["quotes"]
(1, [])
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from bisect import bisect_right
from typing import Any

import pyarrow as pa

from fabula.model import Span, Story

_S = pa.string()
_I = pa.int64()
_LS = pa.list_(pa.string())

#: The schema of every table, by table name (the folder name in the dataset).
SCHEMAS: dict[str, pa.Schema] = {
    "works": pa.schema(
        [
            ("work_id", _S),
            ("path", _S),
            ("content_sha256", _S),
            ("size_bytes", _I),
            ("status", _S),  # ok | failed
            ("format", _S),
            ("encoding", _S),
            ("title", _S),
            ("authors", _LS),
            ("fandoms", _LS),
            ("relationships", _LS),
            ("tagged_characters", _LS),
            ("additional_tags", _LS),
            ("rating", _S),
            ("language", _S),
            ("published", _S),
            ("updated", _S),
            ("source_url", _S),
            ("source_work_id", _S),
            ("chars", _I),
            ("words", _I),
            ("paragraphs", _I),
            ("sentences", _I),
            ("tokens", _I),
            ("scenes", _I),
            ("chapters", _I),
            ("quotes", _I),
            ("speech", _I),
            ("thoughts", _I),
            ("attributed", _I),
            ("characters", _I),
            ("mentions", _I),
            ("repairs", _LS),
            ("warnings", _LS),
            ("fabula_version", _S),
        ]
    ),
    "chapters": pa.schema(
        [("work_id", _S), ("index", _I), ("title", _S), ("start", _I), ("end", _I), ("words", _I), ("quotes", _I)]
    ),
    "characters": pa.schema(
        [
            ("work_id", _S),
            ("character_id", _S),
            ("name", _S),
            ("aliases", _LS),
            ("alias_counts", pa.list_(_I)),
            ("pronouns", _S),
            ("first_char", _I),
            ("mentions", _I),
            ("speaks", pa.bool_()),
            ("mentioned_only", pa.bool_()),
            ("quotes", _I),
            ("words_spoken", _I),
        ]
    ),
    "quotes": pa.schema(
        [
            ("work_id", _S),
            ("index", _I),
            ("chapter", _I),
            ("start", _I),
            ("end", _I),
            ("source_start", _I),
            ("source_end", _I),
            ("text", _S),
            ("kind", _S),
            ("speaker", _S),
            ("speaker_name", _S),
            ("addressees", _LS),
            ("confidence", pa.float64()),
            ("remembered", pa.bool_()),
            ("closed", pa.bool_()),
            ("method", _S),
            ("nested", pa.bool_()),
            ("continued", pa.bool_()),
            ("words", _I),
            ("attrs", _S),
        ]
    ),
    "mentions": pa.schema(
        [
            ("work_id", _S),
            ("start", _I),
            ("end", _I),
            ("text", _S),
            ("character", _S),
            ("kind", _S),
            ("attrs", _S),
        ]
    ),
    "pov": pa.schema(
        [("work_id", _S), ("start", _I), ("end", _I), ("character", _S), ("head_hop", pa.bool_()), ("attrs", _S)]
    ),
    "feedback": pa.schema(
        [
            ("work_id", _S),
            ("start", _I),
            ("end", _I),
            ("kind", _S),
            ("message", _S),
            ("text", _S),
            ("attrs", _S),
        ]
    ),
    "errors": pa.schema(
        [
            ("work_id", _S),
            ("path", _S),
            ("content_sha256", _S),
            ("stage", _S),
            ("error", _S),
            ("message", _S),
        ]
    ),
}

#: Table names in the order they are documented.
TABLES: tuple[str, ...] = tuple(SCHEMAS)

Rows = dict[str, list[dict[str, Any]]]


def work_id(key: str) -> str:
    """The id of a work: 16 hex digits of the SHA-256 of its path or URL.

    >>> work_id("/corpus/a.txt")
    '1b9d9d09f4b667c5'
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def empty_rows() -> Rows:
    """A dict with an empty row list for every table."""
    return {name: [] for name in TABLES}


def _words(text: str) -> int:
    return len(text.split())


def _attrs(span: Span, used: set[str]) -> str | None:
    extra = {
        f.name: getattr(span, f.name)
        for f in dataclasses.fields(span)
        if f.name not in used and f.name not in ("start_char", "end_char")
    }
    return json.dumps(extra, ensure_ascii=False, default=str, sort_keys=True) if extra else None


def _field(span: Span, *names: str) -> Any:
    for n in names:
        v = getattr(span, n, None)
        if v is not None:
            return v
    return None


def story_rows(story: Story, *, work_id: str, key: str, sha256: str | None, size: int | None) -> Rows:
    """The rows an analysed story gives, table by table."""
    import fabula

    text = story.text
    md = story.metadata
    rows = empty_rows()
    offsets = story.source.offsets
    quotes = story.layer("quotes")
    chapters = story.layer("chapters")
    chapter_starts = [c.start_char for c in chapters]
    names = {c.id: c.name for c in story.characters}

    def chapter_of(pos: int) -> int | None:
        i = bisect_right(chapter_starts, pos) - 1
        return int(getattr(chapters[i], "index", i)) if i >= 0 else None

    spoken: dict[str, tuple[int, int]] = {}
    qused = {"kind", "speaker", "addressees", "confidence", "remembered", "closed", "method", "nested", "continued"}
    for i, q in enumerate(quotes):
        qtext = text[q.start_char : q.end_char]
        speaker = getattr(q, "speaker", None)
        nwords = _words(qtext)
        if speaker is not None:
            n, w = spoken.get(speaker, (0, 0))
            spoken[speaker] = (n + 1, w + nwords)
        rows["quotes"].append(
            {
                "work_id": work_id,
                "index": i,
                "chapter": chapter_of(q.start_char),
                "start": q.start_char,
                "end": q.end_char,
                "source_start": offsets.to_source(q.start_char),
                "source_end": offsets.to_source(q.end_char, side="end"),
                "text": qtext,
                "kind": getattr(q, "kind", None),
                "speaker": speaker,
                "speaker_name": names.get(speaker) if speaker else None,
                "addressees": list(getattr(q, "addressees", ()) or ()),
                "confidence": float(getattr(q, "confidence", 0.0) or 0.0),
                "remembered": bool(getattr(q, "remembered", False)),
                "closed": bool(getattr(q, "closed", True)),
                "method": getattr(q, "method", None),
                "nested": bool(getattr(q, "nested", False)),
                "continued": bool(getattr(q, "continued", False)),
                "words": nwords,
                "attrs": _attrs(q, qused),
            }
        )
    for i, c in enumerate(chapters):
        inside = [q for q in quotes if c.start_char <= q.start_char < c.end_char]
        rows["chapters"].append(
            {
                "work_id": work_id,
                "index": int(getattr(c, "index", i)),
                "title": getattr(c, "title", None),
                "start": c.start_char,
                "end": c.end_char,
                "words": _words(text[c.start_char : c.end_char]),
                "quotes": len(inside),
            }
        )
    for ch in story.characters:
        n, w = spoken.get(ch.id, (0, 0))
        rows["characters"].append(
            {
                "work_id": work_id,
                "character_id": ch.id,
                "name": ch.name,
                "aliases": [a.name for a in ch.aliases],
                "alias_counts": [a.count for a in ch.aliases],
                "pronouns": ch.pronouns,
                "first_char": ch.first_char,
                "mentions": ch.mentions,
                "speaks": ch.speaks,
                "mentioned_only": ch.mentioned_only,
                "quotes": n,
                "words_spoken": w,
            }
        )
    for m in story.layer("mentions"):
        rows["mentions"].append(
            {
                "work_id": work_id,
                "start": m.start_char,
                "end": m.end_char,
                "text": text[m.start_char : m.end_char],
                "character": _field(m, "character"),
                "kind": _field(m, "kind"),
                "attrs": _attrs(m, {"character", "kind"}),
            }
        )
    for p in story.layer("pov"):
        rows["pov"].append(
            {
                "work_id": work_id,
                "start": p.start_char,
                "end": p.end_char,
                "character": _field(p, "character"),
                "head_hop": bool(_field(p, "head_hop") or False),
                "attrs": _attrs(p, {"character", "head_hop"}),
            }
        )
    for f in story.layer("feedback"):
        rows["feedback"].append(
            {
                "work_id": work_id,
                "start": f.start_char,
                "end": f.end_char,
                "kind": _field(f, "kind"),
                "message": _field(f, "message", "reason"),
                "text": text[f.start_char : f.end_char],
                "attrs": _attrs(f, {"kind", "message", "reason"}),
            }
        )
    rows["works"].append(
        {
            "work_id": work_id,
            "path": key,
            "content_sha256": sha256 or story.source.sha256,
            "size_bytes": size,
            "status": "ok",
            "format": story.source.format,
            "encoding": story.source.encoding,
            "title": md.title,
            "authors": list(md.authors),
            "fandoms": list(md.fandoms),
            "relationships": list(md.relationships),
            "tagged_characters": list(md.characters),
            "additional_tags": list(md.additional_tags),
            "rating": md.rating,
            "language": md.language,
            "published": md.published,
            "updated": md.updated,
            "source_url": md.source_url,
            "source_work_id": md.work_id,
            "chars": len(text),
            "words": _words(text),
            "paragraphs": len(story.layer("paragraphs")),
            "sentences": len(story.layer("sentences")),
            "tokens": len(story.tokens) if story.tokens is not None else None,
            "scenes": len(story.layer("scenes")),
            "chapters": len(chapters),
            "quotes": len(quotes),
            "speech": sum(1 for q in quotes if getattr(q, "kind", None) == "speech"),
            "thoughts": sum(1 for q in quotes if getattr(q, "kind", None) == "thought"),
            "attributed": sum(1 for q in quotes if getattr(q, "speaker", None) is not None),
            "characters": len(story.characters),
            "mentions": len(story.layer("mentions")),
            "repairs": list(story.source.repairs),
            "warnings": list(story.warnings),
            "fabula_version": fabula.__version__,
        }
    )
    return rows


def failure_rows(
    *, work_id: str, key: str, sha256: str | None, size: int | None, stage: str, error: str, message: str
) -> Rows:
    """The rows of a work that failed: a ``works`` row with status ``failed`` and an ``errors`` row."""
    import fabula

    rows = empty_rows()
    work: dict[str, Any] = {name: None for name in SCHEMAS["works"].names}
    work.update(
        work_id=work_id, path=key, content_sha256=sha256, size_bytes=size, status="failed",
        fabula_version=fabula.__version__,
    )
    rows["works"].append(work)
    rows["errors"].append(
        {"work_id": work_id, "path": key, "content_sha256": sha256, "stage": stage, "error": error, "message": message}
    )
    return rows


def to_arrow(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    """Rows of table ``name`` as an Arrow table with its schema (empty rows give an empty table)."""
    return pa.Table.from_pylist(rows, schema=SCHEMAS[name])
