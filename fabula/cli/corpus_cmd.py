"""``fabula corpus``, ``fabula query`` and ``fabula stats``: thin adapters over :mod:`fabula.corpus`.

Exit status of ``fabula corpus``: 0 every work analysed; 1 the run finished but some works
failed (they are in the ``errors`` table); 2 bad usage or input (nothing was run); 130 interrupted
(rerun the same command to continue).
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from typing import Any

import click

from fabula.errors import Errors, FabulaError

CONTEXT = {"help_option_names": ["-h", "--help"]}

EXIT_OK = 0
EXIT_FAILURES = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _corpus() -> Any:
    try:
        import fabula.corpus
    except ImportError as e:
        raise FabulaError(Errors.E708.format(package=e.name or "pyarrow")) from e
    return fabula.corpus


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class ProgressBar:
    """Draws the job's progress on stderr: a bar on a terminal, a line every 30 s otherwise."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, p: Any) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        interval = 0.2 if self.tty else 30.0
        if not p.finished and now - self._last < interval:
            return
        self._last = now
        finished = p.done + p.skipped
        frac = finished / p.total if p.total else 1.0
        width = 24
        bar = "#" * int(frac * width) + "." * (width - int(frac * width))
        line = (
            f"[{bar}] {finished:,}/{p.total:,} works  {p.words_per_second:,.0f} words/s  "
            f"{p.failed:,} failed  ETA {_duration(0 if p.finished else p.eta)}"
        )
        if self.tty:
            click.echo("\r" + line + ("\n" if p.finished else ""), err=True, nl=False)
        elif not p.finished:
            click.echo(line, err=True)


@click.command("corpus", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "out", required=True, help="The dataset folder (created; reused to resume).")
@click.option("-w", "--workers", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: the cores; 0 runs in this process).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Run on this Dask distributed scheduler instead of local processes.")
@click.option("--part-size", type=click.IntRange(min=1), default=500, show_default=True,
              help="Works per committed part (a killed run redoes at most this many).")
@click.option("--commit-seconds", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Commit a part at least this often.")
@click.option("--retry-failed", is_flag=True, help="Try again the works that failed in an earlier run.")
@click.option("--progress/--no-progress", default=True, help="Show the progress bar on stderr.")
def corpus_cmd(
    inputs: tuple[str, ...], out: str, workers: int | None, scheduler: str | None, part_size: int,
    commit_seconds: float, retry_failed: bool, progress: bool,
) -> None:
    """Analyse every work in INPUTS into the Parquet dataset OUT; resumable, each work exactly once.

    INPUTS are files, folders (searched recursively), globs, '@list.txt' files listing one path or
    URL a line, or URLs. Rerun the same command after a crash to continue. Exit status: 0 all
    works done, 1 some failed (see the errors table), 2 bad usage or input, 130 interrupted.
    """
    corpus = _corpus()
    bar = ProgressBar(enabled=progress)
    try:
        report = corpus.run_corpus(
            list(inputs), out, workers=workers, scheduler=scheduler, part_size=part_size,
            commit_seconds=commit_seconds, retry_failed=retry_failed, progress=bar,
        )
    except KeyboardInterrupt:
        click.echo("\nfabula corpus: interrupted; rerun the same command to continue.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    words_s = report.words / report.seconds if report.seconds > 0 else 0.0
    click.echo(
        f"fabula corpus: {report.total:,} works: {report.done - report.failed:,} analysed, "
        f"{report.skipped:,} already done, {report.failures:,} failed; {report.words:,} words "
        f"in {_duration(report.seconds)} ({words_s:,.0f} words/s) -> {out}",
        err=True,
    )
    if report.failures:
        click.echo(
            f"fabula corpus: {report.failures:,} works failed; see `fabula query {out} \"SELECT * FROM errors\"` "
            "(--retry-failed tries them again).",
            err=True,
        )
        sys.exit(EXIT_FAILURES)


def _cell(v: Any, width: int = 40) -> str:
    s = "NULL" if v is None else str(v)
    s = s.replace("\n", " ")
    return s if len(s) <= width else s[: width - 1] + "…"


def _table(columns: list[str], rows: list[tuple[Any, ...]]) -> str:
    cells = [[_cell(v) for v in r] for r in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join([line, rule, *body])


@click.command("query", context_settings=CONTEXT)
@click.argument("out")
@click.argument("sql")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json", "parquet"]), default="table",
              show_default=True, help="Output format.")
@click.option("-o", "--output", default="-", help="Write to this file ('-': stdout; parquet needs a file).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def query_cmd(out: str, sql: str, fmt: str, output: str, force: bool) -> None:
    """Run SQL over the dataset OUT (tables: works, chapters, characters, quotes, mentions, pov, feedback, errors)."""
    corpus = _corpus()
    if output != "-" and os.path.exists(output) and not force:
        raise click.UsageError(f"{output} exists; use --force to overwrite it")
    if fmt == "parquet" and output == "-":
        raise click.UsageError("--format parquet needs a file: add -o FILE.parquet")
    result = corpus.query(out, sql)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        pq.write_table(result.arrow, output)
        return
    columns = result.columns
    rows = result.fetchall()
    stream = sys.stdout if output == "-" else open(output, "w", encoding="utf-8", newline="")
    try:
        if fmt == "csv":
            w = csv.writer(stream)
            w.writerow(columns)
            w.writerows(rows)
        elif fmt == "json":
            stream.write(json.dumps([dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False,
                                    default=str, indent=1) + "\n")
        else:
            stream.write(_table(columns, rows) + f"\n({len(rows):,} rows)\n")
    finally:
        if stream is not sys.stdout:
            stream.close()


@click.command("stats", context_settings=CONTEXT)
@click.argument("out")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def stats_cmd(out: str, as_json: bool) -> None:
    """Summarise the dataset OUT: works, words, characters, quotes, speakers per work, failures."""
    s = _corpus().stats(out)
    if as_json:
        click.echo(json.dumps(s, indent=1, default=str))
        return
    q = s["quotes"] or 0
    share = f" ({100 * s['attributed'] / q:.0f}% attributed)" if q else ""
    click.echo(f"works        {s['works']:,} analysed, {s['failed']:,} failed")
    click.echo(f"words        {s['words']:,}")
    click.echo(f"chapters     {s['chapters']:,}")
    click.echo(f"characters   {s['characters']:,}")
    click.echo(f"quotes       {q:,}: {s['speech']:,} speech, {s['thoughts']:,} thoughts{share}")
    click.echo(f"speakers     {s['speakers_per_work']:.1f} per work")
    click.echo(f"mentions     {s['mentions']:,}")
    if s["failures_by_stage"]:
        by = ", ".join(f"{k}: {v:,}" for k, v in s["failures_by_stage"].items())
        click.echo(f"failures     {by}")
