"""Issue 7 acceptance (slow): 2,000 works cut from LitBank and the example story, killed and resumed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fabula.corpus import TABLES, query, run_corpus
from tests.conftest import LITBANK, need
from tests.corpus.conftest import ORDER, table_rows
from tests.corpus.test_runner import _kill_when, _start

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.issue(7)
def test_acceptance_2000_works_killed_and_resumed(tmp_path: Path) -> None:
    need(LITBANK / "original")
    sys.path.insert(0, str(ROOT / "bench"))
    from _common import write_varied_corpus

    n = 2000
    write_varied_corpus(tmp_path / "in", n, chars=5_000, seed=7)
    out = tmp_path / "out"
    killed_at = _kill_when(_start(tmp_path / "in", out), out, 300, timeout=1800)
    assert killed_at < n
    report = run_corpus([str(tmp_path / "in")], out, workers=2)
    assert report.skipped >= killed_at and report.failures == 0
    assert query(out, "SELECT COUNT(*), COUNT(DISTINCT path) FROM works").fetchone() == (n, n)
    ref = tmp_path / "ref"
    run_corpus([str(tmp_path / "in")], ref, workers=2)
    for table in TABLES:
        assert table_rows(out, table, ORDER[table]) == table_rows(ref, table, ORDER[table]), table
