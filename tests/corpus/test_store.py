"""The dataset store: crash recovery, refusing foreign folders, one writer at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.corpus import CorpusError, query, run_corpus
from fabula.corpus.store import Store, committed_files, part_name
from tests.corpus.conftest import write_corpus


def test_store_recover_finishes_committed_and_drops_uncommitted_parts(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 4)
    out = tmp_path / "out"
    run_corpus([str(tmp_path / "in")], out, workers=0, part_size=2)
    works = out / "works"
    # a crash after the ledger commit, before the rename: the pending file of a committed part
    (works / part_name(1)).rename(works / part_name(1, pending=True))
    # a crash before the commit: files of a part the ledger does not know, pending and final
    (works / part_name(99, pending=True)).write_bytes(b"half a parquet file")
    (works / part_name(98)).write_bytes(b"orphan")
    # a reader sees only committed parts, and reads the pending file of a committed one
    assert all("part-00000098" not in f and "part-00000099" not in f for f in committed_files(out)["works"])
    assert query(out, "SELECT COUNT(*) FROM works").fetchone() == (4,)
    Store.open(out).close()
    assert sorted(p.name for p in works.iterdir()) == [part_name(0), part_name(1), part_name(2)]
    assert query(out, "SELECT COUNT(*) FROM works").fetchone() == (4,)


def test_store_refuses_a_folder_that_is_not_a_dataset(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"\[E704\]"):
        Store.open(tmp_path)


def test_store_one_writer_at_a_time(tmp_path: Path) -> None:
    with Store.open(tmp_path / "out"), pytest.raises(CorpusError, match=r"\[E705\]"):
        Store.open(tmp_path / "out")
    Store.open(tmp_path / "out").close()  # the lock is released on close


def test_store_query_of_a_folder_that_is_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"\[E706\]"):
        query(tmp_path, "SELECT 1")
