"""Run fabula over a gold source and score it: the functions behind ``fabula eval``.

:func:`eval_gold`, :func:`eval_litbank` and :func:`eval_pdnc` each return an
:class:`EvalResult` (per-document figures and their sum); :func:`render_table` and
:meth:`EvalResult.to_dict` present it. Documents are analysed and scored one at a time and
only their figures are kept, so a folder of long novels streams.

>>> r = EvalResult("gold", "x", [("a", {"speaker": Accuracy(1, 2)}), ("b", {"speaker": Accuracy(1, 2)})])
>>> r.total["speaker"].value
0.5
>>> print(render_table(r).splitlines()[2])
speaker accuracy (all gold quotes)            -      -      -  0.500       4
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fabula.eval.metrics import PRF, Absent, Accuracy, Figure
from fabula.eval.reference import Reference
from fabula.eval.score import METRICS, Figures, combine, quote_errors, score_story
from fabula.model import Story
from fabula.pipeline import Pipeline

log = logging.getLogger("fabula.eval")


@dataclass
class EvalResult:
    """Per-document figures of one ``fabula eval`` run, and their corpus sum (``total``)."""

    source: str
    target: str
    documents: list[tuple[str, Figures]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    errors: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    keep_errors: bool = False

    def add(self, name: str, story: Story, ref: Reference) -> None:
        """Score one document and keep its figures (and its quote errors when asked)."""
        self.documents.append((name, score_story(story, ref)))
        if self.keep_errors and ref.quotes is not None:
            self.errors += [(name, e) for e in quote_errors(story, ref)]

    @property
    def total(self) -> Figures:
        """Every document's figures summed (micro-average)."""
        return combine(f for _, f in self.documents)

    def folds(self, k: int) -> list[tuple[str, Figures]]:
        """The documents dealt into ``k`` folds in order (document i in fold i mod k), each summed.

        Folds are by document, never by sentence, so a model trained on the other folds never
        saw a test document.
        """
        k = max(1, k)
        return [
            (f"fold {i + 1}/{k}", combine(f for n, (_, f) in enumerate(self.documents) if n % k == i)) for i in range(k)
        ]

    def to_dict(self, *, per_document: bool = False, folds: int = 0) -> dict[str, Any]:
        """The figures as plain data for JSON (the same figures the table shows)."""
        out: dict[str, Any] = {
            "source": self.source,
            "target": self.target,
            "documents": len(self.documents),
            "seconds": round(self.seconds, 2),
            "figures": figures_dict(self.total),
        }
        if folds > 1:
            out["folds"] = {name: figures_dict(f) for name, f in self.folds(folds)}
        if per_document:
            out["per_document"] = {name: figures_dict(f) for name, f in self.documents}
        if self.notes:
            out["notes"] = list(self.notes)
        if self.keep_errors:
            out["errors"] = [{"document": name, **e} for name, e in self.errors]
        return out


def figures_dict(figs: Figures) -> dict[str, Any]:
    """``{metric: {...counts and ratios...}}`` for JSON."""
    return {k: v.to_dict() for k, v in figs.items()}


def pipeline_with(stages: Sequence[str]) -> Pipeline | None:
    """The default pipeline with ``stages`` appended (those not already in it), or None for the default.

    Lets ``fabula eval --stage characters --stage speakers`` measure stages before they join
    the default pipeline.
    """
    if not stages:
        return None
    from fabula.pipeline import default_pipeline

    p = default_pipeline()
    for name in stages:
        if name not in p.names:
            p.add(name)
    return p


# --- the three sources ---------------------------------------------------------------------


def _timed(source: str, target: str, run: Callable[[EvalResult], None], errors: bool) -> EvalResult:
    res = EvalResult(source, target, keep_errors=errors)
    t0 = time.perf_counter()
    run(res)
    res.seconds = time.perf_counter() - t0
    return res


def analyze_file_text(path: Path, pipeline: Pipeline | None = None) -> tuple[Story, str]:
    """Read and analyse a story file; also return the file decoded as UTF-8 (the gold's coordinates)."""
    import fabula
    from fabula.eval.litbank import shift_story

    story = fabula.read(path, pipeline=pipeline)
    raw = path.read_bytes().decode(story.source.encoding or "utf-8", errors="replace")
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    return shift_story(story, raw, 0), raw


def eval_gold(path: str | Path, *, pipeline: Pipeline | None = None, errors: bool = False) -> EvalResult:
    """Score fabula against a ``fabula-gold/1`` file, or every one in a folder (``errors``: keep quote errors)."""
    from fabula.eval.reference import gold_files, gold_story_path, load_gold, read_gold_json, uses_offsets

    def run(res: EvalResult) -> None:
        for gf in gold_files(path):
            data = read_gold_json(gf)
            story_path = gold_story_path(gf, data)
            if uses_offsets(data):
                story, raw = analyze_file_text(story_path, pipeline)
                ref = load_gold(gf, raw, data)
            else:
                import fabula

                story = fabula.read(story_path, pipeline=pipeline)
                ref = load_gold(gf, story.text, data)
                res.notes.append(f"{gf}: no offsets; gold items matched by their text")
            res.add(str(gf), story, ref)

    return _timed("gold", str(path), run, errors)


def eval_litbank(
    directory: str | Path,
    *,
    works: Sequence[str] | None = None,
    pipeline: Pipeline | None = None,
    errors: bool = False,
    context: int | None = 2000,
) -> EvalResult:
    """Score fabula against a LitBank folder (all works, or the ``works`` ids given).

    fabula reads each annotated excerpt with ``context`` characters of the original around it
    (cut at paragraph breaks); ``None`` reads the whole original text, as a reader of the
    novel would, and still scores the excerpt only.
    """
    from fabula.eval.litbank import analyze_work, load_work, to_reference, work_ids

    def run(res: EvalResult) -> None:
        ids = work_ids(directory)
        if works:
            unknown = sorted(set(works) - set(ids))
            if unknown:
                from fabula.errors import Errors, EvalError

                raise EvalError(Errors.E824.format(works=", ".join(unknown), path=directory))
            ids = [w for w in ids if w in set(works)]
        shares = []
        for wid in ids:
            work = load_work(directory, wid)
            shares.append((work.aligned_share, work.n_tokens))
            story = analyze_work(work, pipeline=pipeline, context=len(work.text) if context is None else context)
            res.add(wid, story, to_reference(work))
        n = sum(t for _, t in shares)
        if n:
            res.notes.append(f"LitBank tokens aligned to the original text: {sum(s * t for s, t in shares) / n:.4%}")

    return _timed("litbank", str(directory), run, errors)


def eval_pdnc(directory: str | Path, *, pipeline: Pipeline | None = None, errors: bool = False) -> EvalResult:
    """Score fabula against PDNC novel folders (``directory`` itself or its subfolders)."""
    import fabula
    from fabula.eval.litbank import shift_story
    from fabula.eval.pdnc import novel_dirs, read_novel

    def run(res: EvalResult) -> None:
        for d in novel_dirs(directory):
            ref = read_novel(d)
            story = shift_story(fabula.analyze(ref.text, pipeline=pipeline), ref.text, 0)
            res.add(d.name, story, ref)

    return _timed("pdnc", str(directory), run, errors)


# --- the table -----------------------------------------------------------------------------

_HEAD = f"{'metric':<40} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'n':>7}"


def _row(key: str, fig: Figure) -> str:
    label = METRICS.get(key, key.replace("_", " "))
    if isinstance(fig, Absent):
        return f"{label:<40} absent ({fig.what})"
    if isinstance(fig, PRF):
        n = f"{fig.n_gold:g}"
        return f"{label:<40} {fig.precision:>6.3f} {fig.recall:>6.3f} {fig.f1:>6.3f} {'-':>6} {n:>7}"
    v = fig.value
    acc = "-" if v is None else f"{v:.3f}"
    return f"{label:<40} {'-':>6} {'-':>6} {'-':>6} {acc:>6} {fig.total:>7g}"


def figures_table(figs: Figures) -> list[str]:
    """Table lines for one set of figures (header first)."""
    return [_HEAD, *(_row(k, v) for k, v in figs.items())]


def render_table(result: EvalResult, *, per_document: bool = False, folds: int = 0) -> str:
    """The figures as a text table: the total, then per fold and per document when asked."""
    n = len(result.documents)
    title = f"fabula eval {result.source} {result.target}  ({n} document{'s' if n != 1 else ''})"
    lines = [title, *figures_table(result.total)]
    if folds > 1:
        for name, figs in result.folds(folds):
            lines += ["", name, *figures_table(figs)]
    if per_document:
        for name, figs in result.documents:
            lines += ["", name, *figures_table(figs)]
    if result.keep_errors:
        lines += ["", f"quote errors ({len(result.errors)}): document, gold span, gold speaker, predicted, text"]
        for name, e in result.errors:
            span = f"[{e['start']}, {e['end']})"
            who = e["predicted"] if e["error"] == "speaker" else "UNDETECTED"
            lines.append(f"{name}  {span}  {e['gold']}  {who}  {e['text']}")
    lines += [f"note: {x}" for x in result.notes]
    return "\n".join(lines)


def summarize(results: Iterable[EvalResult]) -> Figures:
    """Sum several results' totals (for a report over sources)."""
    return combine(r.total for r in results)


__all__ = [
    "Accuracy",
    "EvalResult",
    "eval_gold",
    "eval_litbank",
    "eval_pdnc",
    "figures_table",
    "render_table",
]
