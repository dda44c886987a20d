"""``fabula`` commands. Library errors become one-line messages and exit status 2 here, and only here.

Each command is a thin adapter over the public API (:func:`fabula.read`, :meth:`Story.to_json`,
:func:`fabula.render.terminal.summary`). A :class:`~fabula.errors.FabulaError` (bad input) ends
the run with one line on stderr and status 2; an unexpected exception (a bug) with one line
and status 1, or its traceback when ``FABULA_DEBUG`` is set.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

import click

import fabula
from fabula.errors import Errors, FabulaError, ReaderError, RenderError
from fabula.model import Story

CONTEXT = {"help_option_names": ["-h", "--help"]}

#: Exit status for bad input (a missing, empty, binary or undecodable file, ...).
EXIT_INPUT = 2
#: Exit status for an unexpected error inside fabula (a bug; please report it).
EXIT_BUG = 1


def one_line(message: str) -> str:
    """A message squeezed onto one line (error messages must not spill over several).

    >>> one_line("bad\\n  thing")
    'bad thing'
    """
    return " ".join(str(message).split())


def fail(message: str, status: int = EXIT_INPUT) -> NoReturn:
    """Print ``fabula: error: message`` on one line to stderr and exit with ``status``."""
    click.echo(f"fabula: error: {one_line(message)}", err=True)
    sys.exit(status)


class FabulaGroup(click.Group):
    """Turns every FabulaError (and unexpected input errors) into a one-line message, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except FabulaError as e:
            fail(str(e))
        except BrokenPipeError:
            # `fabula analyze x | head`: the reader went away; that is not an error.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except (UnicodeError, RecursionError) as e:
            fail(f"the input could not be processed ({type(e).__name__}: {e})")
        except MemoryError:
            fail("the input is too large to process in the memory available; split it into smaller files")
        except Exception as e:
            if os.environ.get("FABULA_DEBUG"):
                raise
            fail(
                f"unexpected {type(e).__name__}: {e}. This is a bug in fabula; "
                "run again with FABULA_DEBUG=1 to see the traceback and report it.",
                EXIT_BUG,
            )


@click.group("fabula", cls=FabulaGroup, context_settings=CONTEXT)
@click.version_option(fabula.__version__, prog_name="fabula")
def cli() -> None:
    """fabula: read a story and write down who says what, to whom, and more."""


def load_input(path: str, *, max_bytes: int | None = None) -> Story:
    """Read FILE, or the standard input for '-', and analyse it with the default pipeline."""
    from fabula.readers import MAX_BYTES, read_bytes, read_file

    limit = MAX_BYTES if max_bytes is None else max_bytes
    if path == "-":
        raw = sys.stdin.buffer.read(limit + 1)
        if len(raw) > limit:
            raise ReaderError(Errors.E114.format(limit=limit))
        story = read_bytes(raw, "<stdin>")
    else:
        story = read_file(path, max_bytes=limit)
    return fabula.default_pipeline()(story)


def write_output(data: str | Iterable[str], output: str, *, force: bool) -> None:
    """Write ``data`` (a string or its pieces) to ``output`` ('-' for stdout); refuse to overwrite without ``force``.

    A file is written beside its final name and renamed into place, so an interrupted run never
    leaves a partial file under that name.
    """
    pieces = [data] if isinstance(data, str) else data
    if output == "-":
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.write("\n")
        sys.stdout.flush()
        return
    out = Path(output)
    if out.exists() and not force:
        raise ReaderError(Errors.E112.format(path=output))
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for piece in pieces:
                fh.write(piece)
            fh.write("\n")
        os.replace(tmp, out)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise RenderError(Errors.E113.format(path=output, reason=e.strerror or str(e))) from e


@cli.command("read", context_settings=CONTEXT)
@click.argument("file")
@click.option("--color/--no-color", default=None, help="Colour the output (default: when a terminal).")
def read_cmd(file: str, color: bool | None) -> None:
    """Print a readable summary of FILE ('-' for stdin): counts, scenes, paratext, every quote and thought."""
    from fabula.render.terminal import summary

    story = load_input(file)
    click.echo(summary(story), color=color)


@cli.command("analyze", context_settings=CONTEXT)
@click.argument("file")
@click.option("-o", "--output", default="-", help="Where to write the JSON ('-' for stdout, the default).")
@click.option("--indent", type=click.IntRange(min=0), default=None, help="Indent the JSON by this many spaces.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def analyze_cmd(file: str, output: str, indent: int | None, force: bool) -> None:
    """Analyse FILE ('-' for stdin) and write the fabula/1 JSON (see docs/schema.md)."""
    if output != "-" and Path(output).exists() and not force:
        # refuse before the (possibly long) analysis, not after it
        raise ReaderError(Errors.E112.format(path=output))
    story = load_input(file)
    write_output(story.iter_json(indent=indent), output, force=force)


# Further commands live in their own modules (fabula/cli/<name>_cmd.py) and are added here.
from fabula.cli.corpus_cmd import corpus_cmd, query_cmd, stats_cmd  # noqa: E402

cli.add_command(corpus_cmd)
cli.add_command(query_cmd)
cli.add_command(stats_cmd)
from fabula.cli.eval_cmd import eval_group  # noqa: E402

cli.add_command(eval_group)
from fabula.cli.report_cmd import report_cmd  # noqa: E402

cli.add_command(report_cmd)


def main() -> None:
    """Entry point of the ``fabula`` console script."""
    cli(prog_name="fabula")
