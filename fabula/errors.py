"""Typed errors and warnings for fabula.

Every error fabula raises is a :class:`FabulaError`. Messages are coded templates
(``E001`` ...): each says what happened, shows the offending value and suggests a fix.
The CLI turns them into a one-line message and exit status 2; the library never prints.

>>> try:
...     raise ReaderError(Errors.E101.format(path="x.txt"))
... except FabulaError as err:
...     str(err).startswith("[E101]")
True
"""

from __future__ import annotations

from typing import Any


class _ErrorsWithCodes(type):
    """Metaclass that prefixes each message template with its code: ``[E001] ...``."""

    def __getattribute__(cls, code: str) -> Any:
        msg = super().__getattribute__(code)
        if code.startswith("__") or not isinstance(msg, str):
            return msg
        return f"[{code}] {msg}"


class Errors(metaclass=_ErrorsWithCodes):
    """Message templates. Fill them with ``str.format``."""

    # pipeline (E0xx)
    E001 = "No stage '{name}' is registered. Available stages: {opts}."
    E002 = (
        "Stage '{name}' needs the layer(s) {missing}, which no earlier stage and no reader "
        "provides (available: {available}). Add a stage that assigns them before '{name}'."
    )
    E003 = "Stage '{name}' returned {type}, not a Story. A stage must return the Story it was given or a new one."
    E004 = "Give exactly one of before/after/first/last when placing stage '{name}' (got {given})."
    E005 = "Stage '{name}' is already in the pipeline: {names}. Remove it first or use another name."
    E006 = "Stage '{name}' assigned the layer '{layer}' which it does not declare in `assigns` {assigns}."
    # data model (E05x)
    E050 = "Span [{start}, {end}) of layer '{layer}' does not fit a text of {length} characters."
    E051 = "Span [{start}, {end}) of layer '{layer}' claims the text {claimed!r} but the story has {actual!r} there."
    E052 = "Unknown layer '{layer}'. Known layers: {opts}."
    E053 = "This JSON is not a fabula document: its schema is {schema!r}, expected 'fabula/1'."
    E054 = "The JSON document is malformed: {detail}."
    # readers (E1xx)
    E101 = "No such file: '{path}'. Check the path (a relative path is read from the current folder)."
    E102 = "'{path}' is a folder, not a story file. Give a file, or use `fabula corpus` for a folder."
    E103 = "'{path}' is empty: there is no story to read."
    E104 = (
        "'{path}' looks like a binary file ({what}), not a story. fabula reads plain text, Markdown, "
        "HTML and EPUB."
    )
    E105 = "'{path}' could not be decoded as text in any known encoding. Convert it to UTF-8 and try again."
    E106 = "'{path}' is {size:,} bytes, over the limit of {limit:,} bytes. Split it, or raise `max_bytes`."
    E107 = "Cannot read '{path}': {reason}."
    E108 = "Unsupported format {fmt!r}. Supported formats: {opts}."
    E109 = "'{path}' has no story text after its paratext and markup were removed."
    E110 = "The text given to analyze() is empty: there is no story to read."
    E111 = "analyze() takes a str, not {type}. Decode bytes first, or use fabula.read() for files."
    E112 = "'{path}' exists. Add --force to overwrite it, or give another path with -o."
    E113 = "Cannot write '{path}': {reason}."
    E114 = "The standard input is over the limit of {limit:,} bytes. Split the story, or save it and read the file."
    E115 = "read() takes a path (str or os.PathLike), not {type}. Use fabula.analyze() for a text."
    # e-books and downloads (issue 5)
    E140 = (
        "'{path}' declares XML entities (<!ENTITY ...>), which fabula never expands: this is how "
        "entity-expansion attacks such as 'billion laughs' work. Remove the DOCTYPE's entity declarations."
    )
    E141 = "'{path}' is not a readable EPUB: {reason}."
    E142 = (
        "'{path}' looks like a zip bomb: {reason} (limits: {max_files:,} files, {max_total:,} bytes unpacked, "
        "{max_member:,} bytes per file, compression ratio {max_ratio}:1). fabula refuses to unpack it."
    )
    E143 = (
        "'{path}' is a PDF and reading it needs poppler's `pdftotext`, which is not installed. Install "
        "poppler-utils (apt) or poppler (brew), or download the work as EPUB or HTML instead."
    )
    E144 = "'{path}' could not be converted to text by {tool}: {reason}."
    E145 = (
        "'{path}' is a Kindle e-book ({kind}), which fabula cannot read directly. Convert it with Calibre "
        "(`ebook-convert '{path}' story.epub`) and read the EPUB, or download the work as EPUB or HTML."
    )
    # corpus mode (E7xx, issue 7)
    E701 = "No such input: '{path}'. Give files, folders, globs, '@list.txt' files of paths, or URLs."
    E702 = "Cannot read the input '{path}': {reason}."
    E703 = "No works found in the inputs {inputs}. Folders are searched for {suffixes} files."
    E704 = "'{path}' exists and is not a fabula corpus dataset. Choose a new or empty folder for -o."
    E705 = "Another `fabula corpus` run is writing to '{path}' (its lock is held). Wait for it or stop it first."
    E706 = "'{path}' is not a fabula corpus dataset (no {ledger}). Run `fabula corpus ... -o {path}` first."
    E707 = "The query failed: {detail}"
    E708 = "Corpus mode needs {package}, which is not installed. Install it with: pip install 'fabula[corpus]'."
    E709 = (
        "Cannot reach the Dask scheduler at '{address}' ({reason}). "
        "Start it (`dask scheduler`) or check the address."
    )

    # evaluation data (E8xx: fabula eval)
    E801 = "No such gold file or folder: '{path}'. Give a fabula-gold/1 JSON file or a folder holding them."
    E802 = "'{path}' holds no {schema} file (a JSON file whose \"schema\" is '{schema}'). Point at the gold files."
    E803 = "Cannot read gold file '{path}': {reason}. Check that it is UTF-8 JSON."
    E804 = "'{path}' is not a {expected} file (its schema is {schema}). See ../shared/corpus/GOLD-FORMAT.md."
    E805 = "'{path}' does not name its story file in \"text\". Add the story's file name, relative to the gold file."
    E806 = "'{path}' annotates '{name}', which is not beside it ({story}). Put the story next to its gold file."
    E807 = "{where}: span [{start}, {end}) does not fit the story's {n} characters. Check the offsets."
    E811 = "No such PDNC folder: '{path}'. Give a novel folder or a folder of them."
    E812 = "'{path}' holds no PDNC novel (a folder with {files}). Point at the novel folders."
    E813 = "{where}: cannot read {value} as a Python list or set literal. Check the CSV cell."
    E814 = "{where}: the quoteByteSpans entry {value} is not [start, end]. Check the CSV cell."
    E815 = "PDNC folder '{path}' has no {name}. Each novel folder needs it."
    E821 = "'{path}' is not a LitBank folder: it has no original/ folder. Lay it out as ../shared/litbank-dev."
    E822 = "LitBank work '{work}' has no {what}. Each work needs its original text and its annotations."
    E823 = "{where}: token ({s}, {t}) is outside the work's {n} sentences. The annotation does not match its text."
    E824 = "No LitBank work {works} in '{path}'. Run without --work to score every work, or check the id."


class FabulaError(Exception):
    """The root of every error fabula raises on purpose."""


class ReaderError(FabulaError):
    """A story file could not be read: missing, binary, undecodable, unsafe or malformed."""


class PipelineError(FabulaError):
    """A pipeline was built or run wrongly: unknown stage, unmet requirement, bad stage result."""


class InputTypeError(FabulaError, TypeError):
    """A function was given a value of the wrong type (``analyze(b"...")``, ``read(42)``)."""


class SpanError(FabulaError, ValueError):
    """An annotation span does not fit the text it points into."""


class SchemaError(FabulaError, ValueError):
    """A JSON document is not a valid fabula document."""


class EvalError(FabulaError):
    """Gold data for ``fabula eval`` is missing or malformed."""


class RenderError(FabulaError):
    """A report or table could not be rendered."""


class FabulaWarning(UserWarning):
    """Something in the input was repaired, skipped or guessed; the result is still usable."""
