"""``fabula report``: the story report as one self-contained web page (issue 6)."""

from __future__ import annotations

from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.command("report", context_settings=CONTEXT)
@click.argument("file")
@click.option(
    "-o", "--output", default=None, help="Where to write the page ('-' for stdout; default: FILE's name + .html)."
)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def report_cmd(file: str, output: str | None, force: bool) -> None:
    """Analyse FILE ('-' for stdin) and write its report: one HTML page that needs no network."""
    from fabula.cli.main import load_input, write_output
    from fabula.errors import Errors, ReaderError
    from fabula.render.html import render_report

    if output is None:
        output = "report.html" if file == "-" else Path(file).stem + ".html"
    if output != "-" and Path(output).exists() and not force:
        raise ReaderError(Errors.E112.format(path=output))  # refuse before the analysis, not after
    write_output(render_report(load_input(file)), output, force=force)
