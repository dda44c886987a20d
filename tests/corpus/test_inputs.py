"""Expanding corpus inputs: folders, globs, lists of paths, missing inputs."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.corpus import CorpusError, iter_inputs
from fabula.corpus.inputs import check_inputs


def _tree(root: Path) -> None:
    for rel in ["a/one.txt", "a/b/two.md", "a/skip.png", "c/three.html", "a/.hidden/x.txt"]:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("x", encoding="utf-8")


def test_inputs_folders_recursed_sorted_story_files_only(tmp_path: Path) -> None:
    _tree(tmp_path)
    names = [Path(p).relative_to(tmp_path).as_posix() for p in iter_inputs([str(tmp_path)])]
    assert names == ["a/b/two.md", "a/one.txt", "c/three.html"]


def test_inputs_globs_lists_and_explicit_files(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / "works.list").write_text("# my works\na/one.txt\n\nc/three.html\n", encoding="utf-8")
    (tmp_path / "more.txt").write_text(str(tmp_path / "a/b/two.md") + "\n", encoding="utf-8")
    got = list(iter_inputs([str(tmp_path / "**/*.md"), str(tmp_path / "works.list"), "@" + str(tmp_path / "more.txt"),
                            str(tmp_path / "a/skip.png"), "s3://bucket/x.txt"]))
    rel = [Path(p).relative_to(tmp_path).as_posix() if p.startswith("/") else p for p in got]
    assert rel == ["a/b/two.md", "a/one.txt", "c/three.html", "a/b/two.md", "a/skip.png", "s3://bucket/x.txt"]


def test_inputs_missing_input_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"\[E701\].*nope"):
        check_inputs([str(tmp_path / "nope")])
    with pytest.raises(CorpusError, match=r"\[E701\]"):
        list(iter_inputs([str(tmp_path / "*.none")]))
