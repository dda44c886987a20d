"""``fabula`` commands. Library errors become one-line messages and exit status 2 here, and only here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

import fabula
from fabula.errors import FabulaError
from fabula.model import Story

CONTEXT = {"help_option_names": ["-h", "--help"]}


class FabulaGroup(click.Group):
    """Turns every FabulaError (and unexpected input errors) into a one-line message, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except FabulaError as e:
            click.echo(f"fabula: error: {e}", err=True)
            ctx.exit(2)
        except (UnicodeError, MemoryError, RecursionError) as e:
            click.echo(f"fabula: error: the input could not be processed ({type(e).__name__}: {e})", err=True)
            ctx.exit(2)


@click.group(cls=FabulaGroup, context_settings=CONTEXT)
@click.version_option(fabula.__version__, prog_name="fabula")
def cli() -> None:
    """fabula: read a story and write down who says what, to whom, and more."""


def load_input(path: str) -> Story:
    """Read FILE or '-' (stdin) and analyse it."""
    if path == "-":
        from fabula.readers import read_bytes

        raw = sys.stdin.buffer.read()
        return fabula.default_pipeline()(read_bytes(raw, "<stdin>"))
    return fabula.read(path)


@cli.command("read", context_settings=CONTEXT)
@click.argument("file")
@click.option("--color/--no-color", default=None, help="Colour the output (default: when a terminal).")
def read_cmd(file: str, color: bool | None) -> None:
    """Print a readable summary of FILE: counts, scenes, paratext, every quote and thought."""
    from fabula.render.terminal import summary

    story = load_input(file)
    click.echo(summary(story), color=color)


@cli.command("analyze", context_settings=CONTEXT)
@click.argument("file")
@click.option("-o", "--output", default="-", help="Where to write the JSON ('-' for stdout).")
@click.option("--indent", type=int, default=None, help="Indent the JSON by this many spaces.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def analyze_cmd(file: str, output: str, indent: int | None, force: bool) -> None:
    """Analyse FILE ('-' for stdin) and write the fabula/1 JSON."""
    story = load_input(file)
    data = story.to_json(indent=indent)
    if output == "-":
        click.echo(data)
        return
    out = Path(output)
    if out.exists() and not force:
        raise click.UsageError(f"{output} exists; use --force to overwrite it")
    out.write_text(data + "\n", encoding="utf-8")


def main() -> None:
    """Entry point of the ``fabula`` console script."""
    cli(prog_name="fabula")
