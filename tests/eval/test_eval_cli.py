"""``fabula eval gold|litbank|pdnc``: the table and the same figures as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fabula.cli.main import cli
from tests.conftest import LITBANK, need
from tests.eval.test_litbank import _write_fixture
from tests.eval.test_pdnc import PDNC
from tests.eval.test_reference import write_gold


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["eval", *args])
    return res.exit_code, res.output


def test_eval_cli_gold_table_and_json_agree(tmp_path: Path) -> None:
    write_gold(tmp_path)
    code, table = run("gold", str(tmp_path / "gold.json"))
    assert code == 0, table
    assert table.splitlines()[1].split() == ["metric", "P", "R", "F1", "acc", "n"]
    row = next(line for line in table.splitlines() if line.startswith("quote detection"))
    code, out = run("gold", str(tmp_path / "gold.json"), "--json")
    assert code == 0
    data = json.loads(out)
    q = data["figures"]["quotes"]
    assert row.split()[-5:] == [f"{q['precision']:.3f}", f"{q['recall']:.3f}", f"{q['f1']:.3f}", "-", "2"]
    assert data["source"] == "gold" and data["documents"] == 1
    assert q["n_gold"] == 2


def test_eval_cli_every_figure_has_a_known_shape(tmp_path: Path) -> None:
    write_gold(tmp_path)
    data = json.loads(run("gold", str(tmp_path), "--json")[1])
    assert {"quotes", "speaker", "speaker_detected", "addressees", "pov"} <= set(data["figures"])
    for key, fig in data["figures"].items():
        shape = set(fig)
        prf = {"precision", "recall", "f1", "n_pred", "n_gold"}
        assert shape in ({"absent"}, {"accuracy", "correct", "total"}, prf), key
        if shape == {"absent"}:
            assert "absent (" in run("gold", str(tmp_path))[1], key


def test_eval_cli_pdnc_fixture() -> None:
    code, out = run("pdnc", str(PDNC), "--json", "--per-document")
    assert code == 0, out
    data = json.loads(out)
    assert data["figures"]["quotes"]["n_gold"] == 15
    assert list(data["per_document"]) == ["TheLanternMakers"]


def test_eval_cli_litbank_folds_and_per_work(tmp_path: Path) -> None:
    _write_fixture(tmp_path)
    code, out = run("litbank", str(tmp_path), "--folds", "2", "--per-document")
    assert code == 0, out
    assert "fold 1/2" in out and "fold 2/2" in out and "\n1_lamp\n" in out
    assert "aligned to the original text: 100.0000%" in out
    data = json.loads(run("litbank", str(tmp_path), "--json", "--folds", "2")[1])
    assert data["figures"]["quotes"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "n_pred": 2, "n_gold": 2}
    assert set(data["folds"]) == {"fold 1/2", "fold 2/2"}


def test_eval_cli_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"schema": "other"}', encoding="utf-8")
    code, out = run("gold", str(tmp_path / "x.json"))
    assert code == 2
    assert "not a fabula-gold/1 file" in out
    code, out = run("litbank", str(tmp_path), "--work", "nope")
    assert code == 2 and "not a LitBank folder" in out


def test_eval_cli_unknown_stage(tmp_path: Path) -> None:
    write_gold(tmp_path)
    code, out = run("gold", str(tmp_path), "--stage", "no-such-stage")
    assert code == 2 and "E001" in out


@pytest.mark.issue(4)
def test_eval_cli_litbank_one_dev_work() -> None:
    need(LITBANK)
    code, out = run("litbank", str(LITBANK), "--work", "1342_pride_and_prejudice", "--json")
    assert code == 0, out
    q = json.loads(out)["figures"]["quotes"]
    assert q["n_gold"] == 62


def test_eval_cli_errors_list_missed_and_misattributed_quotes(tmp_path: Path) -> None:
    write_gold(tmp_path)
    code, out = run("gold", str(tmp_path), "--errors", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert isinstance(data["errors"], list)
    for e in data["errors"]:
        assert set(e) == {"document", "start", "end", "text", "gold", "predicted", "error"}
        assert e["error"] in ("undetected", "speaker")
    assert "quote errors (" in run("gold", str(tmp_path), "--errors")[1]
