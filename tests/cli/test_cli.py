"""The ``fabula`` command line: read, analyze, stdin, --force, and bad input as one line with status 2 (issue 2)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

import fabula
from fabula.cli.main import cli
from fabula.readers import MAX_BYTES

from ..conftest import ROOT, SEED, need

STORY = (
    '"Where are you going?" asked Marta.\n\n'
    "Wren did not answer. ~I should never have come,~ she thought.\n\n"
    "* * *\n\n"
    "\u201cBecause the lamps are out,\u201d Wren said at last.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def story_file(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(STORY, encoding="utf-8")
    return p


def run(runner: CliRunner, *args: str, stdin: bytes | None = None):
    return runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)


# ------------------------------------------------------------------------------------- happy paths


@pytest.mark.issue(2)
def test_cli_read_prints_a_summary(runner, story_file):
    result = run(runner, "read", str(story_file))
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "4 paragraphs · 5 sentences" in out
    assert "2 scenes · 2 quotes · 1 thought" in out
    assert '"Where are you going?"' in out
    assert "~I should never have come,~" in out
    assert "scene break: * * *" in out
    # each quote with its paragraph number and kind, in order
    quote_section = out.split("Quotes and thoughts", 1)[1]
    lines = [ln for ln in quote_section.splitlines() if "¶" in ln]
    assert [ln.split()[0] for ln in lines] == ["¶1", "¶2", "¶4"]
    assert "Point of view" in out.split("Quotes and thoughts", 1)[0]
    assert "thought" in lines[1] and "speech" in lines[0]


@pytest.mark.issue(2)
def test_cli_analyze_writes_json_to_stdout(runner, story_file):
    result = run(runner, "analyze", str(story_file))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == "fabula/1"
    assert doc["text"] == STORY
    assert [q["text"] for q in doc["layers"]["quotes"]][:2] == ['"Where are you going?"', "~I should never have come,~"]


def test_cli_analyze_reads_stdin(runner):
    result = run(runner, "analyze", "-", stdin=STORY.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["text"] == STORY
    assert doc["source"]["path"] == "<stdin>"


def test_cli_read_reads_stdin(runner):
    result = run(runner, "read", "-", stdin=STORY.encode("cp1252", errors="replace"))
    assert result.exit_code == 0, result.stderr
    assert "Where are you going?" in result.stdout


def test_cli_analyze_output_file_and_force(runner, story_file, tmp_path):
    out = tmp_path / "story.json"
    assert run(runner, "analyze", str(story_file), "-o", str(out)).exit_code == 0
    first = json.loads(out.read_text(encoding="utf-8"))
    assert first["schema"] == "fabula/1"
    again = run(runner, "analyze", str(story_file), "-o", str(out))
    assert again.exit_code == 2
    assert again.stderr.strip().count("\n") == 0
    assert "exists. Add --force to overwrite it" in again.stderr
    forced = run(runner, "analyze", str(story_file), "-o", str(out), "--force", "--indent", "2")
    assert forced.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith('{\n  "schema": "fabula/1"')


def test_cli_analyze_streams_the_same_json_and_leaves_no_partial_file(runner, story_file, tmp_path):
    out = tmp_path / "story.json"
    assert run(runner, "analyze", str(story_file), "-o", str(out), "--indent", "1").exit_code == 0
    assert out.read_text(encoding="utf-8") == fabula.read(story_file).to_json(indent=1) + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([story_file.name, "story.json"])


def test_cli_analyze_unwritable_output_is_one_line_and_leaves_nothing(runner, story_file, tmp_path):
    out = tmp_path / "missing-folder" / "story.json"
    result = run(runner, "analyze", str(story_file), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert not out.parent.exists()


@pytest.mark.issue(2)
def test_cli_analyze_seed_finds_the_gold_quotes(runner, seed_gold):
    result = run(runner, "analyze", str(need(SEED / "story.txt")))
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    found = [(q["start"], q["end"], q["kind"]) for q in doc["layers"]["quotes"]]
    assert found == [(q["start"], q["end"], q["kind"]) for q in seed_gold["quotes"]]


# ------------------------------------------------------------------------------------- bad input


def _bad_inputs(tmp_path):
    png = tmp_path / "picture.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"  \n\n \t\n")
    binary = tmp_path / "data.bin"
    binary.write_bytes(bytes(range(256)) * 16)
    undecodable = tmp_path / "story.txt"
    undecodable.write_bytes(bytes(range(0x80, 0x100)) * 8)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:  # a sparse file: large on paper, nothing written
        f.truncate(MAX_BYTES + 1)
    return {
        "missing": (str(tmp_path / "no-such-story.txt"), r"\[E101\] No such file"),
        "directory": (str(tmp_path), r"\[E102\] .* is a folder"),
        "png": (str(png), r"\[E104\] .* binary file \(a PNG image\)"),
        "empty": (str(empty), r"\[E103\] .* is empty"),
        "blank": (str(blank), r"\[E103\] .* is empty"),
        "binary": (str(binary), r"\[E104\] .* NUL bytes"),
        "undecodable": (str(undecodable), r"\[E105\] .* could not be decoded"),
        "huge": (str(huge), r"\[E106\] .* over the limit of"),
        "device": ("/dev/zero", r"\[E107\] .* device"),
        "empty-path": ("", r"\[E101\] No such file: ''"),
    }


BAD = ["missing", "directory", "png", "empty", "blank", "binary", "undecodable", "huge", "device", "empty-path"]


@pytest.mark.issue(2)
@pytest.mark.parametrize("command", ["read", "analyze"])
@pytest.mark.parametrize("case", BAD)
def test_cli_bad_input_is_one_line_and_exit_2(runner, tmp_path, command, case):
    path, message = _bad_inputs(tmp_path)[case]
    result = run(runner, command, path)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("fabula: error: [E1")
    assert re.search(message, lines[0]), lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("stdin", [b"", b"\x89PNG\r\n\x1a\n\x00\x00", b" \n "])
def test_cli_bad_stdin_is_one_line_and_exit_2(runner, stdin):
    result = run(runner, "analyze", "-", stdin=stdin)
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("fabula: error: [E10")


def test_cli_unwritable_output_is_one_line_and_exit_2(runner, story_file, tmp_path):
    result = run(runner, "analyze", str(story_file), "-o", str(tmp_path / "no" / "such" / "dir.json"))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "[E113] Cannot write" in result.stderr


@pytest.mark.issue(2)
@pytest.mark.parametrize("case", ["missing", "png", "empty"])
def test_cli_subprocess_bad_input(tmp_path, case):
    """The acceptance check as a user would see it: a real process, no traceback, status 2."""
    path, message = _bad_inputs(tmp_path)[case]
    proc = subprocess.run(
        [sys.executable, "-m", "fabula", "analyze", path], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert re.search(message, proc.stderr)


def test_cli_python_dash_m_fabula_works(story_file):
    proc = subprocess.run(
        [sys.executable, "-m", "fabula", "read", str(story_file)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "Where are you going?" in proc.stdout


def test_cli_version_and_help(runner):
    assert run(runner, "--version").stdout.startswith("fabula, version ")
    assert "Usage: fabula" in run(runner, "-h").stdout


def test_cli_unexpected_error_is_one_line_and_exit_1(runner, story_file, monkeypatch):
    import importlib

    main = importlib.import_module("fabula.cli.main")  # (fabula.cli.main is also the entry function)

    def boom(path, **kwargs):
        raise RuntimeError("something broke\ninside")

    monkeypatch.setattr(main, "load_input", boom)
    monkeypatch.delenv("FABULA_DEBUG", raising=False)
    result = run(runner, "analyze", str(story_file))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "fabula: error: unexpected RuntimeError: something broke inside. This is a bug in fabula; "
        "run again with FABULA_DEBUG=1 to see the traceback and report it."
    ]


def test_cli_stdin_over_the_cap_is_one_line_and_exit_2(runner, monkeypatch):
    import fabula.readers

    monkeypatch.setattr(fabula.readers, "MAX_BYTES", 100)
    result = run(runner, "analyze", "-", stdin=b"word " * 100)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "fabula: error: [E114] The standard input is over the limit of 100 bytes. "
        "Split the story, or save it and read the file."
    ]
