"""SQL over a corpus dataset with DuckDB (embedded): each table is a view over its committed parts.

>>> import tempfile
>>> from fabula.corpus.store import Store
>>> out = tempfile.mkdtemp() + "/ds"
>>> Store.open(out).close()
>>> query(out, "SELECT COUNT(*) AS n FROM works").fetchall()
[(0,)]
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fabula.corpus.errors import CorpusError
from fabula.corpus.store import committed_files
from fabula.errors import Errors


def connect(out: str | Path) -> Any:
    """A DuckDB connection (in memory) with one view per table of the dataset ``out``."""
    try:
        import duckdb
    except ImportError as e:
        raise CorpusError(Errors.E708.format(package="duckdb")) from e
    files = committed_files(out)
    con = duckdb.connect()
    for table, paths in files.items():
        listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        con.execute(f'CREATE VIEW "{table}" AS SELECT * FROM read_parquet([{listed}])')
    return con


@dataclass(frozen=True, slots=True)
class QueryResult:
    """The result of :func:`query`: an Arrow table, with row access for convenience."""

    arrow: Any

    @property
    def columns(self) -> list[str]:
        """Column names, in order."""
        return list(self.arrow.column_names)

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every row as a tuple."""
        cols = [c.to_pylist() for c in self.arrow.columns]
        return list(zip(*cols, strict=True)) if cols else []

    def fetchone(self) -> tuple[Any, ...] | None:
        """The first row, or None."""
        rows = QueryResult(self.arrow.slice(0, 1)).fetchall()
        return rows[0] if rows else None


def query(out: str | Path, sql: str) -> QueryResult:
    """Run ``sql`` over the dataset ``out``."""
    import duckdb

    con = connect(out)
    try:
        return QueryResult(con.sql(sql).to_arrow_table())
    except duckdb.Error as e:
        raise CorpusError(Errors.E707.format(detail=str(e).splitlines()[0])) from e
    finally:
        con.close()


#: The figures :func:`stats` gives, with the SQL that computes them.
STATS_SQL: dict[str, str] = {
    "works": "SELECT COUNT(*) FROM works WHERE status = 'ok'",
    "failed": "SELECT COUNT(*) FROM works WHERE status = 'failed'",
    "words": "SELECT COALESCE(SUM(words), 0) FROM works",
    "chapters": "SELECT COUNT(*) FROM chapters",
    "characters": "SELECT COUNT(*) FROM characters",
    "quotes": "SELECT COUNT(*) FROM quotes",
    "speech": "SELECT COUNT(*) FROM quotes WHERE kind = 'speech'",
    "thoughts": "SELECT COUNT(*) FROM quotes WHERE kind = 'thought'",
    "attributed": "SELECT COUNT(*) FROM quotes WHERE speaker IS NOT NULL",
    "speakers_per_work": (
        "SELECT COALESCE(AVG(n), 0) FROM (SELECT w.work_id, COUNT(DISTINCT q.speaker) AS n FROM works w "
        "LEFT JOIN quotes q ON q.work_id = w.work_id WHERE w.status = 'ok' GROUP BY w.work_id)"
    ),
    "mentions": "SELECT COUNT(*) FROM mentions",
}


def stats(out: str | Path) -> dict[str, Any]:
    """A summary of the dataset: counts, speakers per work, failures by stage."""
    con = connect(out)
    try:
        result: dict[str, Any] = {name: con.execute(sql).fetchone()[0] for name, sql in STATS_SQL.items()}
        result["failures_by_stage"] = dict(
            con.execute("SELECT stage, COUNT(*) FROM errors GROUP BY stage ORDER BY 2 DESC, 1").fetchall()
        )
    finally:
        con.close()
    return result
