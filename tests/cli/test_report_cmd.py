"""``fabula report`` (issue 6): writes one page, refuses to overwrite, reads stdin, fails in one line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from fabula.cli.main import cli

STORY = '"Where are you going?" asked Marta.\n\nWren did not answer. ~I should never have come,~ she thought.\n'


@pytest.fixture
def story_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


@pytest.mark.issue(6)
def test_report_cmd_writes_the_page(story_file, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", str(story_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Where are you going?" in page


def test_report_cmd_default_name_and_force(story_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["report", str(story_file)]).exit_code == 0
    assert (tmp_path / "story.html").exists()
    again = runner.invoke(cli, ["report", str(story_file)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(cli, ["report", str(story_file), "--force"]).exit_code == 0


def test_report_cmd_stdin_to_stdout():
    result = CliRunner().invoke(cli, ["report", "-", "-o", "-"], input=STORY)
    assert result.exit_code == 0 and "<!DOCTYPE html>" in result.output


def test_report_cmd_missing_file_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["report", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "No such file" in result.output
