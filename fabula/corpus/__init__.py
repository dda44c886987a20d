"""Corpus mode: a whole archive as one resumable job, into a Parquet dataset queried with DuckDB.

:func:`run_corpus` analyses every work the inputs name (files, folders, globs, lists, URLs) in
parallel processes or on a Dask cluster, exactly once, into the tables of :data:`SCHEMAS`;
:func:`query` and :func:`stats` read the dataset. See docs/corpus.md. Needs the ``corpus`` extra
(pyarrow, duckdb, dask[distributed]).
"""

from __future__ import annotations

from fabula.corpus.errors import CorpusError
from fabula.corpus.inputs import iter_inputs
from fabula.corpus.query import QueryResult, connect, query, stats
from fabula.corpus.runner import CorpusReport, Progress, run_corpus
from fabula.corpus.tables import SCHEMAS, TABLES

__all__ = [
    "SCHEMAS",
    "TABLES",
    "CorpusError",
    "CorpusReport",
    "Progress",
    "QueryResult",
    "connect",
    "iter_inputs",
    "query",
    "run_corpus",
    "stats",
]
