"""The corpus, query and stats commands: exit status, summary line, output formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fabula.cli.main import cli
from tests.corpus.conftest import write_corpus


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    write_corpus(root / "in", 8, broken=True)
    return root / "in", root / "out"


@pytest.mark.issue(7)
def test_cli_corpus_exit_1_and_summary_when_works_fail(dataset: tuple[Path, Path]) -> None:
    inp, out = dataset
    r = CliRunner().invoke(cli, ["corpus", str(inp), "-o", str(out), "-w", "0", "--no-progress"])
    assert r.exit_code == 1, r.output
    assert "11 works: 8 analysed, 0 already done, 3 failed" in r.stderr
    assert r.stdout == ""  # progress and summary go to stderr only
    again = CliRunner().invoke(cli, ["corpus", str(inp), "-o", str(out), "-w", "0"])
    assert again.exit_code == 1 and "11 already done, 3 failed" in again.stderr


def test_cli_corpus_exit_0_when_all_ok(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 2)
    r = CliRunner().invoke(cli, ["corpus", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-w", "0"])
    assert r.exit_code == 0, r.output
    assert "0 failed" in r.stderr


@pytest.mark.parametrize("args", [["corpus", "/no/such/folder", "-o", "x"], ["corpus", "-o", "x"],
                                  ["query", "/no/such/dataset", "SELECT 1"]])
def test_cli_bad_usage_exits_2_with_one_line(args: list[str], tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, [a.replace("x", str(tmp_path / "o")) if a == "x" else a for a in args])
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def test_cli_query_formats(dataset: tuple[Path, Path], tmp_path: Path) -> None:
    inp, out = dataset
    CliRunner().invoke(cli, ["corpus", str(inp), "-o", str(out), "-w", "0", "--no-progress"])
    sql = "SELECT kind, COUNT(*) AS n FROM quotes GROUP BY kind ORDER BY kind"
    table = CliRunner().invoke(cli, ["query", str(out), sql])
    assert table.exit_code == 0 and table.stdout.splitlines()[0].split() == ["kind", "n"]
    assert "(2 rows)" in table.stdout
    rows = list(csv.reader(io.StringIO(CliRunner().invoke(cli, ["query", str(out), sql, "-f", "csv"]).stdout)))
    assert rows[0] == ["kind", "n"] and [r[0] for r in rows[1:]] == ["speech", "thought"]
    data = json.loads(CliRunner().invoke(cli, ["query", str(out), sql, "--format", "json"]).stdout)
    assert data[1] == {"kind": "thought", "n": 8}
    pq_path = tmp_path / "r.parquet"
    assert CliRunner().invoke(cli, ["query", str(out), sql, "-f", "parquet", "-o", str(pq_path)]).exit_code == 0
    import pyarrow.parquet as pq

    assert pq.read_table(pq_path).column("n").to_pylist()[1] == 8
    bad = CliRunner().invoke(cli, ["query", str(out), "SELECT nope FROM quotes"])
    assert bad.exit_code == 2 and "[E707]" in bad.stderr


def test_cli_stats(dataset: tuple[Path, Path]) -> None:
    inp, out = dataset
    CliRunner().invoke(cli, ["corpus", str(inp), "-o", str(out), "-w", "0", "--no-progress"])
    r = CliRunner().invoke(cli, ["stats", str(out)])
    assert r.exit_code == 0
    assert "8 analysed, 3 failed" in r.stdout and "read: 3" in r.stdout
    s = json.loads(CliRunner().invoke(cli, ["stats", str(out), "--json"]).stdout)
    assert s["works"] == 8 and s["thoughts"] == 8 and s["quotes"] > 8 * 10


def test_cli_progress_line_shows_works_rate_failures_and_eta(capsys: pytest.CaptureFixture[str]) -> None:
    from fabula.cli.corpus_cmd import ProgressBar
    from fabula.corpus import Progress

    p = Progress(total=10, done=4, failed=1, skipped=1, words=8000)
    p.started -= 4.0  # four seconds in
    bar = ProgressBar(enabled=True)
    bar(p)
    line = capsys.readouterr().err
    assert "5/10 works" in line and "words/s" in line and "1 failed" in line and "ETA 0:0" in line
