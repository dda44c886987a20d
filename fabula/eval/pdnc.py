"""The Project Dialogism Novel Corpus (PDNC) layout, read as fabula references.

PDNC (Vishnubhotla et al. 2022) holds one folder per novel:

- ``novel_text.txt``: the novel;
- ``quotation_info.csv``: one row per quotation with ``quoteID``, ``quoteText``,
  ``subQuotationList``, ``quoteByteSpans`` (a list of ``[start, end]`` character offsets
  into ``novel_text.txt``, one per piece of a quotation broken by a tag), ``speaker`` and
  ``addressees`` (character main names; addressees a Python list literal), ``quoteType``
  (Explicit / Anaphoric / Implicit), ``referringExpression``, ``mentionTextsList``,
  ``mentionSpansList``, ``mentionEntitiesList``;
- ``character_info.csv``: ``Character ID``, ``Main Name``, ``Aliases`` (a Python set
  literal), ``Gender``, ``Category``.

How it becomes a :class:`~fabula.eval.reference.Reference`: every piece of a quotation
(each ``quoteByteSpans`` entry) is one gold quote with the quotation's speaker, addressees
and type, widened over the quote marks right beside it (PDNC's spans leave the marks out,
fabula's include them). Character ids are the main names, which the ``speaker`` column
uses. The pseudo-characters ``_group`` and ``_unknowable`` are no character: a quote they
speak has no gold speaker, and they are dropped from addressee lists. The quotation file
is read row by row, so long novels cost little memory.

>>> widen_over_marks('He said "Go on" then.', 9, 14)
(8, 15)
"""

from __future__ import annotations

import ast
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fabula.errors import Errors, EvalError
from fabula.eval.reference import RefCharacter, Reference, RefQuote

NOVEL = "novel_text.txt"
QUOTES = "quotation_info.csv"
CHARACTERS = "character_info.csv"
_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e"


def novel_dirs(root: str | Path) -> list[Path]:
    """The novel folders at ``root``: ``root`` itself when it holds ``novel_text.txt``, else its subfolders that do."""
    p = Path(root)
    if (p / NOVEL).is_file():
        return [p]
    if not p.is_dir():
        raise EvalError(Errors.E811.format(path=p))
    found = sorted(d for d in p.iterdir() if (d / NOVEL).is_file())
    if not found:
        raise EvalError(Errors.E812.format(path=p, files=f"{NOVEL}, {QUOTES} and {CHARACTERS}"))
    return found


def _literal(value: str, where: str) -> Any:
    value = value.strip()
    if not value or value == "nan":
        return None
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        pass
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError) as e:
        raise EvalError(Errors.E813.format(where=where, value=repr(value[:60]))) from e


def read_characters(path: str | Path) -> tuple[RefCharacter, ...]:
    """Characters of ``character_info.csv``; ids are the main names."""
    p = Path(path)
    out: list[RefCharacter] = []
    with p.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            name = (row.get("Main Name") or "").strip()
            if not name or name.startswith("_"):
                continue
            aliases = _literal(row.get("Aliases") or "", f"{p}:{n}") or ()
            gender = {"M": "he", "F": "she"}.get((row.get("Gender") or "").strip(), "unknown")
            out.append(RefCharacter(id=name, name=name, aliases=tuple(sorted(str(a) for a in aliases)), gender=gender))
    return tuple(out)


def widen_over_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend ``[start, end)`` over one quote mark right before and one right after, when present."""
    if start > 0 and text[start - 1] in _MARKS:
        start -= 1
    if end < len(text) and text[end] in _MARKS:
        end += 1
    return start, end


def _person(name: str | None) -> str | None:
    if name is None:
        return None
    name = str(name).strip()
    return None if not name or name == "nan" or name.startswith("_") else name


def iter_quotes(path: str | Path, text: str) -> Iterator[RefQuote]:
    """Stream the gold quotes of ``quotation_info.csv`` (one per quoted piece), checked against ``text``."""
    p = Path(path)
    with p.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            where = f"{p}:{n}"
            spans = _literal(row.get("quoteByteSpans") or "", where) or []
            addressees = _literal(row.get("addressees") or "", where) or []
            speaker = _person(row.get("speaker"))
            people = tuple(a for a in (_person(str(x)) for x in addressees) if a is not None)
            qtype = (row.get("quoteType") or "").strip() or None
            for pair in spans:
                try:
                    a, b = int(pair[0]), int(pair[1])
                except (TypeError, ValueError, IndexError) as e:
                    raise EvalError(Errors.E814.format(where=where, value=repr(pair))) from e
                if not 0 <= a <= b <= len(text):
                    raise EvalError(Errors.E807.format(where=where, start=a, end=b, n=len(text)))
                a, b = widen_over_marks(text, a, b)
                yield RefQuote(a, b, kind=None, speaker=speaker, addressees=people, qtype=qtype)


def read_novel(folder: str | Path) -> Reference:
    """One PDNC novel folder as a :class:`Reference` (quotes, characters; no exhaustive mentions)."""
    d = Path(folder)
    for name in (NOVEL, QUOTES):
        if not (d / name).is_file():
            raise EvalError(Errors.E815.format(path=d, name=name))
    text = (d / NOVEL).read_text(encoding="utf-8")
    quotes = sorted(iter_quotes(d / QUOTES, text), key=lambda q: (q.start_char, q.end_char))
    chars = read_characters(d / CHARACTERS) if (d / CHARACTERS).is_file() else None
    return Reference(name=d.name, text=text, outermost_quotes=True, quotes=tuple(quotes), characters=chars)
