"""Docs are checked by tests (as sqlite-utils does): every command has help and is in the README (issue 2)."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from fabula.cli.main import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        if cmd.hidden:
            continue
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out += _commands(cmd, (*prefix, name))
    return out


COMMANDS = _commands(cli)


def test_docs_commands_are_found():
    assert ("read",) in COMMANDS and ("analyze",) in COMMANDS


@pytest.mark.issue(2)
@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_docs_every_command_has_help(path, flag):
    result = CliRunner().invoke(cli, [*path, flag])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: fabula " + " ".join(path))
    # a real description, not just a usage line
    body = result.output.split("\n\n", 2)
    assert len(body) >= 2 and body[1].strip(), f"`fabula {' '.join(path)}` has no help text"


@pytest.mark.issue(2)
@pytest.mark.parametrize("path", [p for p in COMMANDS if len(p) == 1], ids=" ".join)
def test_docs_every_command_is_in_the_readme(path):
    name = " ".join(path)
    assert re.search(rf"\bfabula {re.escape(name)}\b", README), f"README.md never mentions `fabula {name}`"


def test_docs_readme_links_the_schema():
    assert "docs/schema.md" in README
    assert (ROOT / "docs" / "schema.md").exists()
