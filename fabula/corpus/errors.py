"""The error corpus mode raises for bad inputs, a foreign output folder, a held lock or a bad query."""

from __future__ import annotations

from fabula.errors import FabulaError


class CorpusError(FabulaError):
    """A corpus job cannot start or a dataset cannot be read (see ``Errors.E7xx``)."""
