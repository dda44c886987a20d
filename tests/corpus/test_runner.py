"""Corpus runs: tables, failures, reruns, changed inputs, kill-and-resume, Dask against local."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fabula.corpus import TABLES, query, run_corpus
from tests.corpus.conftest import ORDER, table_rows, write_corpus

ROOT = Path(__file__).resolve().parents[2]


def _count(out: Path, sql: str) -> int:
    return query(out, sql).fetchone()[0]


@pytest.mark.issue(7)
def test_runner_broken_files_land_in_errors(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 20, broken=True)
    report = run_corpus([str(tmp_path / "in")], tmp_path / "out", workers=2, part_size=7)
    assert (report.total, report.done, report.failed) == (23, 23, 3)
    out = tmp_path / "out"
    assert _count(out, "SELECT COUNT(*) FROM works WHERE status = 'ok'") == 20
    errors = query(out, "SELECT path, stage, message FROM errors ORDER BY path").fetchall()
    assert [Path(p).name for p, _, _ in errors] == ["archive.txt", "empty.md", "image.txt"]
    assert {stage for _, stage, _ in errors} == {"read"}
    assert all(m.startswith("[E10") for _, _, m in errors)
    # every work has its quotes, the scene break gives two scenes, the thought is a thought
    assert _count(out, "SELECT COUNT(DISTINCT work_id) FROM quotes") == 20
    assert _count(out, "SELECT COUNT(*) FROM quotes WHERE kind = 'thought'") == 20
    assert _count(out, "SELECT MIN(scenes) FROM works WHERE status = 'ok'") == 2
    texts = query(out, "SELECT text, start, \"end\" FROM quotes LIMIT 50").fetchall()
    assert all(t.startswith(('"', "*")) and e - s == len(t) for t, s, e in texts)


def test_runner_every_table_has_its_schema_when_empty(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 2)
    run_corpus([str(tmp_path / "in")], tmp_path / "out", workers=0)
    for table in TABLES:
        cols = query(tmp_path / "out", f"SELECT * FROM {table} LIMIT 0").columns
        assert cols[0] == "work_id"
        assert (tmp_path / "out" / table / "part-00000000.parquet").is_file()  # the empty schema part


def test_runner_rerun_of_finished_job_does_nothing(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 6)
    run_corpus([str(tmp_path / "in")], tmp_path / "out", workers=0)
    before = sorted(p.name for p in (tmp_path / "out" / "works").iterdir())
    again = run_corpus([str(tmp_path / "in")], tmp_path / "out", workers=0)
    assert (again.done, again.skipped, again.parts) == (0, 6, 0)
    assert sorted(p.name for p in (tmp_path / "out" / "works").iterdir()) == before


def test_runner_changed_input_is_redone_once(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    run_corpus([str(tmp_path / "in")], out, workers=0, part_size=2)
    old = _count(out, f"SELECT quotes FROM works WHERE path = '{paths[3]}'")
    with paths[3].open("a", encoding="utf-8") as fh:
        fh.write('\n"One more line," said Wren.\n')
    os.utime(paths[3], ns=(1, 1))  # a different mtime even on coarse clocks
    again = run_corpus([str(tmp_path / "in")], out, workers=0)
    assert (again.done, again.skipped) == (1, 5)
    assert _count(out, "SELECT COUNT(*) FROM works") == 6
    assert _count(out, "SELECT COUNT(DISTINCT work_id) FROM works") == 6
    assert _count(out, f"SELECT quotes FROM works WHERE path = '{paths[3]}'") == old + 1
    # the other work of the rewritten part is still there, once
    assert _count(out, f"SELECT COUNT(*) FROM works WHERE path = '{paths[2]}'") == 1
    # touching a file without changing it does not redo it
    os.utime(paths[1], ns=(2, 2))
    assert run_corpus([str(tmp_path / "in")], out, workers=0).done == 0


def test_runner_retry_failed_replaces_the_error(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 3)
    bad = tmp_path / "in" / "later.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out"
    assert run_corpus([str(tmp_path / "in")], out, workers=0).failed == 1
    bad.write_text('"Now I have words," said Ilse.\n', encoding="utf-8")
    os.utime(bad, ns=(3, 3))
    report = run_corpus([str(tmp_path / "in")], out, workers=0)
    assert report.failures == 0 and report.done == 1
    assert _count(out, "SELECT COUNT(*) FROM errors") == 0
    assert _count(out, "SELECT COUNT(*) FROM works WHERE status = 'ok'") == 4


def _committed_works(out: Path) -> int:
    ledger = out / "_ledger.sqlite"
    if not ledger.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=0.05)
        try:
            return db.execute("SELECT COUNT(*) FROM works").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def _start(inputs: Path, out: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "fabula", "corpus", str(inputs), "-o", str(out), "-w", "2",
           "--part-size", "3", "--commit-seconds", "0", "--no-progress"]
    return subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(proc: subprocess.Popen, out: Path, at_least: int, timeout: float = 120) -> int:
    """SIGKILL the run (its whole process group) once at least ``at_least`` works are committed."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        n = _committed_works(out)
        if n >= at_least:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return n
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    pytest.fail(f"the run ended (status {proc.returncode}) before {at_least} works were committed")


@pytest.mark.issue(7)
def test_runner_sigkill_and_resume_gives_every_work_once(tmp_path: Path) -> None:
    n = 60
    write_corpus(tmp_path / "in", n, paragraphs=150, broken=True)
    out = tmp_path / "out"
    # killed twice: once as soon as it has committed anything, once later
    first = _kill_when(_start(tmp_path / "in", out), out, 1)
    second = _kill_when(_start(tmp_path / "in", out), out, first + 9)
    assert second < n + 3, "the run was not killed mid-way"
    resumed = subprocess.run(
        [sys.executable, "-m", "fabula", "corpus", str(tmp_path / "in"), "-o", str(out), "-w", "2", "--no-progress"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert resumed.returncode == 1, resumed.stderr  # 1: some works (the three broken files) failed
    assert "3 failed" in resumed.stderr
    assert _count(out, "SELECT COUNT(*) FROM works") == n + 3
    assert _count(out, "SELECT COUNT(DISTINCT path) FROM works") == n + 3
    assert _count(out, "SELECT COUNT(*) FROM errors") == 3
    # no file a reader could take for a part is left over from the kills
    leftovers = [p for t in TABLES for p in (out / t).iterdir() if not p.name.startswith("part-")]
    assert leftovers == []
    # the same quotes as an uninterrupted run
    ref = tmp_path / "ref"
    run_corpus([str(tmp_path / "in")], ref, workers=0)
    for table in TABLES:
        assert table_rows(out, table, ORDER[table]) == table_rows(ref, table, ORDER[table]), table


@pytest.mark.issue(7)
def test_runner_dask_local_cluster_matches_local_run(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    write_corpus(tmp_path / "in", 24, broken=True)
    run_corpus([str(tmp_path / "in")], tmp_path / "local", workers=2, part_size=5)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        report = run_corpus([str(tmp_path / "in")], tmp_path / "dask", scheduler=cluster.scheduler_address,
                            part_size=4)
    assert (report.done, report.failed) == (27, 3)
    for table in TABLES:
        local = table_rows(tmp_path / "local", table, ORDER[table])
        assert table_rows(tmp_path / "dask", table, ORDER[table]) == local, table
    assert len(table_rows(tmp_path / "dask", "quotes", ORDER["quotes"])) > 24 * 10


def test_runner_reads_urls_with_fsspec(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path / "in", 2)
    listing = tmp_path / "works.list"
    listing.write_text("".join(f"file://{p}\n" for p in paths), encoding="utf-8")
    report = run_corpus([str(listing)], tmp_path / "out", workers=0)
    assert (report.done, report.failed) == (2, 0)
    assert sorted(r[0] for r in query(tmp_path / "out", "SELECT path FROM works").fetchall()) == [
        f"file://{p}" for p in sorted(paths)
    ]
    assert run_corpus([str(listing)], tmp_path / "out", workers=0).skipped == 2  # hashed, unchanged


def test_runner_a_stage_that_raises_is_named_in_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fabula.pipeline as pipeline_mod
    from fabula.model import Story
    from fabula.pipeline import Pipeline, StageInfo

    def explode(story: Story) -> Story:
        if "Work 7 is finished" in story.text:
            raise ValueError("seven is unlucky")
        return story

    # registered for this test only: monkeypatch removes it again
    monkeypatch.setitem(pipeline_mod._REGISTRY, "explode_on_seven",
                        StageInfo("explode_on_seven", explode, ("quotes",), (), "1"))
    default = pipeline_mod.default_pipeline
    monkeypatch.setattr(pipeline_mod, "default_pipeline", lambda: Pipeline([*default().names, "explode_on_seven"]))
    write_corpus(tmp_path / "in", 10)
    report = run_corpus([str(tmp_path / "in")], tmp_path / "out", workers=0)
    assert (report.done, report.failed) == (10, 1)
    assert query(tmp_path / "out", "SELECT stage, error, message FROM errors").fetchall() == [
        ("explode_on_seven", "ValueError", "seven is unlucky")
    ]


def test_runner_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from fabula.corpus import CorpusError
    from fabula.corpus.runner import _Executor

    with pytest.raises(CorpusError, match=r"\[E709\].*tcp://127.0.0.1:9"):
        _Executor(0, "tcp://127.0.0.1:9", connect_timeout=2)
