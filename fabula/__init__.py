"""fabula reads a story the way a careful reader does and writes down what it found.

>>> import fabula
>>> story = fabula.analyze('"Where are you going?" asked Marta.')
>>> [story.span_text(q) for q in story.layer("quotes")]
['"Where are you going?"']
"""

from __future__ import annotations

import os

from fabula.errors import Errors, FabulaError, InputTypeError, ReaderError
from fabula.model import Character, Metadata, Quote, Source, Span, Story
from fabula.pipeline import Pipeline, default_pipeline, stage

__version__ = "0.1.0"

__all__ = [
    "Character",
    "FabulaError",
    "Metadata",
    "Pipeline",
    "Quote",
    "Source",
    "Span",
    "Story",
    "__version__",
    "analyze",
    "default_pipeline",
    "load",
    "read",
    "stage",
]


def load(path: str | os.PathLike[str]) -> Story:
    """Read a story file into a Story without analysing it (the reader's layers only).

    Raises :class:`fabula.errors.ReaderError` for a missing, empty, binary or unreadable file.
    """
    from fabula.readers import read_file

    if not isinstance(path, (str, os.PathLike)):
        raise InputTypeError(Errors.E115.format(type=type(path).__name__))
    return read_file(path)


def read(path: str | os.PathLike[str], *, pipeline: Pipeline | None = None) -> Story:
    """Read a story file and analyse it with the default pipeline (or ``pipeline``).

    Raises :class:`fabula.errors.ReaderError` for a missing, empty, binary or unreadable file.
    """
    story = load(path)
    return (pipeline or default_pipeline())(story)


def analyze(text: str, *, pipeline: Pipeline | None = None) -> Story:
    """Analyse a story given as a string.

    The text is normalised as a plain-text file would be (line ends, mojibake, hard wraps),
    with the changes kept in ``story.source.offsets``. Raises
    :class:`fabula.errors.InputTypeError` for a non-str and :class:`fabula.errors.ReaderError`
    for an empty or blank text.
    """
    from fabula.readers.text import text_story

    if not isinstance(text, str):
        raise InputTypeError(Errors.E111.format(type=type(text).__name__))
    if not text.strip():
        raise ReaderError(Errors.E110)
    return (pipeline or default_pipeline())(text_story(text))
