"""The corpus dataset on disk: Parquet parts per table and a ledger that says which parts count.

Layout of a dataset folder ``OUT``::

    OUT/fabula-corpus.json        what this folder is (format, tables); written once
    OUT/_ledger.sqlite            the ledger: committed parts, and every work done (key, hash, part)
    OUT/_lock                     held (flock) by the one run that writes
    OUT/<table>/part-NNNNNNNN.parquet   one file per table per committed part (part 0: empty, the schema)

Exactly once, whatever moment a run is killed at (SIGKILL included):

1. a part's files are written under hidden pending names (``.part-N.parquet.pending``), fsynced;
2. one SQLite transaction commits the part and its works in the ledger (the commit point);
3. the pending files are renamed (``os.replace``) to their final names.

On opening, :meth:`Store.open` finishes step 3 for committed parts and deletes pending or final
files of parts the ledger does not hold. A work whose input changed (new content hash) is
redone: when its new rows commit, the same transaction replaces the old part that held it by a
rewritten copy without it, so that a work is never present twice.

Readers take the list of parts from the ledger (:func:`committed_files`); a final-named file
exists only for a committed part, so a crash never leaves a file a reader would take as complete.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fabula.corpus.errors import CorpusError
from fabula.corpus.tables import SCHEMAS, TABLES, to_arrow
from fabula.corpus.work import WorkResult
from fabula.errors import Errors

FORMAT = "fabula-corpus/1"
MARKER = "fabula-corpus.json"
LEDGER = "_ledger.sqlite"
LOCK = "_lock"

_DDL = """
CREATE TABLE IF NOT EXISTS parts (part INTEGER PRIMARY KEY, tables TEXT NOT NULL, works INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS works (
    key TEXT PRIMARY KEY, work_id TEXT NOT NULL, sha256 TEXT, size INTEGER, mtime_ns INTEGER,
    status TEXT NOT NULL, part INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS works_part ON works(part);
"""


@dataclass(frozen=True, slots=True)
class Done:
    """What the ledger knows of a work already done."""

    sha256: str | None
    size: int | None
    mtime_ns: int | None
    status: str


def part_name(part: int, *, pending: bool = False) -> str:
    """File name of a part.

    >>> part_name(3), part_name(3, pending=True)
    ('part-00000003.parquet', '.part-00000003.parquet.pending')
    """
    name = f"part-{part:08d}.parquet"
    return f".{name}.pending" if pending else name


def _part_of(name: str) -> int | None:
    stem = name.lstrip(".").removesuffix(".pending").removesuffix(".parquet")
    if not stem.startswith("part-"):
        return None
    try:
        return int(stem[5:])
    except ValueError:
        return None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def is_dataset(out: Path) -> bool:
    """True when ``out`` holds a fabula corpus dataset."""
    return (out / MARKER).is_file() and (out / LEDGER).is_file()


class Store:
    """The one writer of a dataset; use :meth:`open` (it takes the lock and recovers)."""

    def __init__(self, out: Path, db: sqlite3.Connection, lock_fd: int) -> None:
        self.out = out
        self.db = db
        self._lock_fd = lock_fd
        row = db.execute("SELECT COALESCE(MAX(part), 0) FROM parts").fetchone()
        self._next = int(row[0]) + 1

    @classmethod
    def open(cls, out: str | Path) -> Store:
        """Open (creating if new) the dataset at ``out`` for writing; recovers from a crash."""
        import fcntl

        out = Path(out)
        if out.exists() and not out.is_dir():
            raise CorpusError(Errors.E704.format(path=out))
        if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
            raise CorpusError(Errors.E704.format(path=out))
        out.mkdir(parents=True, exist_ok=True)
        lock_fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            os.close(lock_fd)
            raise CorpusError(Errors.E705.format(path=out)) from e
        db = sqlite3.connect(out / LEDGER, isolation_level=None)
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(_DDL)
        store = cls(out, db, lock_fd)
        store._create()
        store.recover()
        return store

    def _create(self) -> None:
        """Write the marker and part 0 (an empty file per table, so every table has its schema)."""
        for name in TABLES:
            (self.out / name).mkdir(exist_ok=True)
        if self.db.execute("SELECT 1 FROM parts WHERE part = 0").fetchone() is None:
            self._write_part(0, {name: [] for name in TABLES})
            self.db.execute("INSERT INTO parts VALUES (0, ?, 0)", (",".join(TABLES),))
            self._publish(0, TABLES)
        if not (self.out / MARKER).exists():
            marker = {"format": FORMAT, "tables": list(TABLES), "ledger": LEDGER}
            tmp = self.out / f".{MARKER}.tmp"
            tmp.write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, self.out / MARKER)

    def close(self) -> None:
        """Release the ledger and the lock."""
        self.db.close()
        os.close(self._lock_fd)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- recovery --------------------------------------------------------------------------

    def recover(self) -> int:
        """Finish renames of committed parts and delete files of uncommitted ones; returns files removed."""
        committed: dict[int, set[str]] = {
            int(p): set(t.split(",")) for p, t in self.db.execute("SELECT part, tables FROM parts")
        }
        removed = 0
        for table in TABLES:
            folder = self.out / table
            for entry in os.scandir(folder):
                part = _part_of(entry.name)
                pending = entry.name.endswith(".pending")
                if part is not None and table in committed.get(part, ()):
                    if pending:
                        os.replace(entry.path, folder / part_name(part))
                    continue
                if part is not None or entry.name.endswith(".tmp"):
                    os.unlink(entry.path)
                    removed += 1
        return removed

    # -- reading the ledger ----------------------------------------------------------------

    def done(self, key: str) -> Done | None:
        """What the ledger holds for the work ``key``, or None."""
        row = self.db.execute("SELECT sha256, size, mtime_ns, status FROM works WHERE key = ?", (key,)).fetchone()
        return None if row is None else Done(*row)

    def touch(self, key: str, size: int | None, mtime_ns: int | None) -> None:
        """Record a new size / mtime for a work whose content hash did not change."""
        self.db.execute("UPDATE works SET size = ?, mtime_ns = ? WHERE key = ?", (size, mtime_ns, key))

    # -- writing ---------------------------------------------------------------------------

    def _write_part(self, part: int, rows: dict[str, list[dict[str, Any]]]) -> list[str]:
        import pyarrow.parquet as pq

        written = []
        for table, table_rows in rows.items():
            if not table_rows and part != 0:
                continue
            path = self.out / table / part_name(part, pending=True)
            pq.write_table(to_arrow(table, table_rows), path, compression="zstd")
            _fsync(path)
            written.append(table)
        return written

    def _publish(self, part: int, tables: Iterable[str]) -> None:
        for table in tables:
            folder = self.out / table
            os.replace(folder / part_name(part, pending=True), folder / part_name(part))
        with contextlib.suppress(OSError):
            _fsync(self.out)

    def commit(self, results: list[WorkResult], stats: dict[str, tuple[int | None, int | None]]) -> int:
        """Commit the rows of ``results`` as one new part; ``stats`` maps key -> (size, mtime_ns)."""
        if not results:
            return 0
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for r in results:
            for table, table_rows in r.rows.items():
                rows[table].extend(table_rows)
        part = self._next
        tables = self._write_part(part, rows)
        # Works already in the ledger (changed inputs, retried failures): rewrite their old parts without them.
        keys = [r.key for r in results]
        old = self._old_parts(keys)
        rewrites: dict[int, tuple[int, list[str]]] = {}
        next_part = part + 1
        for old_part, evicted in old.items():
            kept = self._rewrite(old_part, next_part, evicted)
            if kept is not None:
                rewrites[old_part] = (next_part, kept)
                next_part += 1
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute("INSERT INTO parts VALUES (?, ?, ?)", (part, ",".join(tables), len(results)))
            for old_part in old:
                self.db.execute("DELETE FROM parts WHERE part = ?", (old_part,))
                if old_part in rewrites:
                    new_part, kept_tables = rewrites[old_part]
                    self.db.execute("INSERT INTO parts VALUES (?, ?, 0)", (new_part, ",".join(kept_tables)))
                    self.db.execute("UPDATE works SET part = ? WHERE part = ?", (new_part, old_part))
            for r in results:
                size, mtime = stats.get(r.key, (r.size, None))
                status = "ok" if r.ok else "failed"
                wid = r.rows["works"][0]["work_id"]
                self.db.execute(
                    "INSERT OR REPLACE INTO works VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (r.key, wid, r.sha256, size if size is not None else r.size, mtime, status, part),
                )
            for new_part, _ in rewrites.values():
                self.db.execute(
                    "UPDATE parts SET works = (SELECT COUNT(*) FROM works WHERE part = ?) WHERE part = ?",
                    (new_part, new_part),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self._publish(part, tables)
        for new_part, kept_tables in rewrites.values():
            self._publish(new_part, kept_tables)
        for old_part in old:
            self._unlink_part(old_part)
        self._next = next_part
        return part

    def _old_parts(self, keys: list[str]) -> dict[int, set[str]]:
        """Parts that hold some of ``keys`` already -> the work ids to take out of them."""
        out: dict[int, set[str]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            q = f"SELECT part, work_id FROM works WHERE key IN ({','.join('?' * len(chunk))})"
            for part, wid in self.db.execute(q, chunk):
                out.setdefault(int(part), set()).add(wid)
        return out

    def _rewrite(self, old_part: int, new_part: int, evicted: set[str]) -> list[str] | None:
        """Write ``old_part`` without the works ``evicted`` as pending ``new_part``; None when nothing is left."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        left = self.db.execute(
            f"SELECT COUNT(*) FROM works WHERE part = ? AND work_id NOT IN ({','.join('?' * len(evicted))})",
            (old_part, *evicted),
        ).fetchone()[0]
        if not left:
            return None
        tables_row = self.db.execute("SELECT tables FROM parts WHERE part = ?", (old_part,)).fetchone()
        kept = []
        for table in tables_row[0].split(","):
            t = pq.read_table(self.out / table / part_name(old_part), schema=SCHEMAS[table])
            t = t.filter(pc.invert(pc.is_in(t["work_id"], value_set=_string_array(evicted))))
            if t.num_rows == 0:
                continue
            path = self.out / table / part_name(new_part, pending=True)
            pq.write_table(t, path, compression="zstd")
            _fsync(path)
            kept.append(table)
        return kept

    def _unlink_part(self, part: int) -> None:
        for table in TABLES:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.out / table / part_name(part))


def _string_array(values: Iterable[str]) -> Any:
    import pyarrow as pa

    return pa.array(sorted(values), type=pa.string())


def committed_files(out: str | Path) -> dict[str, list[str]]:
    """For each table, the Parquet files of the committed parts (read-only; no lock taken)."""
    out = Path(out)
    if not is_dataset(out):
        raise CorpusError(Errors.E706.format(path=out, ledger=LEDGER))
    db = sqlite3.connect(f"file:{out / LEDGER}?mode=ro", uri=True)
    try:
        parts = list(db.execute("SELECT part, tables FROM parts ORDER BY part"))
    finally:
        db.close()
    files: dict[str, list[str]] = {name: [] for name in TABLES}
    for part, tables in parts:
        for table in tables.split(","):
            final = out / table / part_name(part)
            pending = out / table / part_name(part, pending=True)
            files[table].append(str(final if final.exists() or not pending.exists() else pending))
    return files


def ledger_works(out: str | Path) -> Iterator[tuple[str, str, str | None, str]]:
    """(key, work_id, sha256, status) of every work in the ledger."""
    db = sqlite3.connect(f"file:{Path(out) / LEDGER}?mode=ro", uri=True)
    try:
        yield from db.execute("SELECT key, work_id, sha256, status FROM works ORDER BY key")
    finally:
        db.close()
