"""docs/corpus.md stays true: its SQL runs over a real dataset, and every table and option is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fabula.corpus import SCHEMAS, query, run_corpus
from tests.corpus.conftest import write_corpus

DOC = Path(__file__).resolve().parents[2] / "docs" / "corpus.md"


def _sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs")
    write_corpus(root / "in", 4)
    run_corpus([str(root / "in")], root / "out", workers=0)
    return root / "out"


def test_docs_has_three_research_questions() -> None:
    assert len(_sql_blocks()) >= 3


@pytest.mark.parametrize("i", range(3))
def test_docs_sql_runs(dataset: Path, i: int) -> None:
    result = query(dataset, _sql_blocks()[i])
    assert result.columns


def test_docs_every_table_and_column_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for table, schema in SCHEMAS.items():
        assert f"`{table}`" in doc, table
        for col in schema.names:
            assert f"`{col}`" in doc, f"{table}.{col}"


def test_docs_every_corpus_option_documented() -> None:
    from fabula.cli.corpus_cmd import corpus_cmd

    doc = DOC.read_text(encoding="utf-8")
    for p in corpus_cmd.params:
        for opt in getattr(p, "opts", []):
            if opt.startswith("--"):
                assert opt in doc, opt
