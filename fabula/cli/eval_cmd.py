"""``fabula eval``: score fabula against gold annotations (fabula-gold/1, LitBank, PDNC).

A thin adapter over :mod:`fabula.eval.run`; the metrics are defined in :mod:`fabula.eval.score`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from fabula.eval.run import EvalResult, eval_gold, eval_litbank, eval_pdnc, pipeline_with, render_table

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON instead of a table.")(func)
    func = click.option("--per-document", is_flag=True, help="Also give each document's figures.")(func)
    func = click.option("--errors", is_flag=True, help="Also list every gold quote missed or given the wrong speaker.")(
        func
    )
    func = click.option(
        "--stage",
        "stages",
        multiple=True,
        help="Append this registered stage to the default pipeline (repeatable, in order).",
    )(func)
    return func


def _emit(result: EvalResult, as_json: bool, per_document: bool, folds: int = 0) -> None:
    if as_json:
        click.echo(json.dumps(result.to_dict(per_document=per_document, folds=folds), indent=2))
    else:
        click.echo(render_table(result, per_document=per_document, folds=folds))


@click.group("eval", context_settings=CONTEXT)
def eval_group() -> None:
    """Score fabula against gold annotations; print a table (or --json).

    Figures: quote detection P/R/F1; speaker accuracy over all gold quotes (undetected
    counts wrong) and over detected ones; accuracy by quote type; addressee accuracy;
    person-mention P/R/F1; alias clustering; speaker-subject pronouns; point of view;
    normalizations and misspellings. A figure whose input the pipeline does not produce
    is shown as absent, never as zero.
    """


@eval_group.command("gold", context_settings=CONTEXT)
@click.argument("path", type=click.Path(exists=True))
@_output_options
def gold_cmd(path: str, as_json: bool, per_document: bool, stages: tuple[str, ...], errors: bool) -> None:
    """Score against a fabula-gold/1 file, or every one in folder PATH."""
    _emit(eval_gold(path, pipeline=pipeline_with(stages), errors=errors), as_json, per_document)


@eval_group.command("litbank", context_settings=CONTEXT)
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@click.option("--work", "works", multiple=True, help="Only this work id (repeatable).")
@click.option("--folds", type=int, default=0, help="Also report K folds by work (work i in fold i mod K).")
@click.option(
    "--context",
    default="2000",
    show_default=True,
    help="Characters of the original read around each excerpt, or 'all' for the whole text.",
)
@_output_options
def litbank_cmd(
    directory: str,
    works: tuple[str, ...],
    folds: int,
    context: str,
    as_json: bool,
    per_document: bool,
    stages: tuple[str, ...],
    errors: bool,
) -> None:
    """Score against a LitBank folder laid out as ../shared/litbank-dev."""
    if context == "all":
        chars: int | None = None
    elif context.isdigit():
        chars = int(context)
    else:
        raise click.BadParameter(f"{context!r} is neither a number of characters nor 'all'.", param_hint="--context")
    result = eval_litbank(
        directory, works=works or None, pipeline=pipeline_with(stages), errors=errors, context=chars
    )
    _emit(result, as_json, per_document, folds)


@eval_group.command("pdnc", context_settings=CONTEXT)
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@_output_options
def pdnc_cmd(directory: str, as_json: bool, per_document: bool, stages: tuple[str, ...], errors: bool) -> None:
    """Score against PDNC novel folders (novel_text.txt, quotation_info.csv, character_info.csv)."""
    _emit(eval_pdnc(directory, pipeline=pipeline_with(stages), errors=errors), as_json, per_document)
