"""Train the speaker candidate ranker (:mod:`fabula.attribution.ranker`) on LitBank, cross-validated by work.

Usage (from the repository root; about 15 seconds, ``--search`` about 5 minutes)::

    .venv/bin/python -m train.speakers ../shared/litbank-dev --folds 5 --rounds 1 --l2 0.01 \\
        [--prior hand] [--only line|pronoun] [--search fit|hand] [--out fabula/data/speaker_model.json]

Without ``--out`` it only cross-validates. No model ships at present: no variant beat the
hand weights held out (bench/RESULTS.md, "Speaker attribution attempts (H11)"); writing
``--out`` makes the stage use the trained weights.

Every untagged line the speakers stage scores gives one training example: its candidates'
features (``fabula.stages.speakers.FEATURE_SINK``) and which candidates map to the gold
speaker (through :func:`fabula.eval.score.map_characters`); so does every ``he`` / ``she`` in a
speech tag, labelled by LitBank's gold coreference of the pronoun itself. Decisions whose gold
speaker is no candidate are left out of training but count in the evaluation. The model is a conditional
logit (softmax over the candidates) with L2, fitted by full-batch gradient descent. Features
depend on earlier guesses (turn-taking), so examples are collected ``--rounds`` times, each
round with the weights of the previous one.

Cross-validation: work ``i`` (in :func:`fabula.eval.litbank.work_ids` order) is in fold
``i mod K`` as ``fabula eval litbank --folds K`` splits; for each fold the ranker is trained on
the other folds only and the held-out works are scored end to end (an undetected quote counts
as wrong). The per-fold and pooled held-out figures go to stdout and to the model's ``meta``;
the shipped weights are then trained on all works.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

import fabula
from fabula.attribution import ranker
from fabula.eval.litbank import analysis_window, load_work, shift_story, to_reference, work_ids
from fabula.eval.score import combine, map_characters, score_story
from fabula.model import Story
from fabula.pipeline import DEFAULT_STAGES, Pipeline
from fabula.stages import speakers as sp

#: Learn only this ranker's weights (``line`` or ``pronoun``), the other keeps the hand weights.
ONLY: str | None = None
#: Follow the fit with a coordinate-ascent sweep on end-to-end accuracy (``--search``), or
#: start that sweep from the hand weights instead of the fit (``--search hand``).
SEARCH = False
#: Regularise towards the hand weights instead of zero (``--prior hand``).
PRIOR_HAND = False
SEARCH_FROM_HAND = False
Example = tuple[list[str], list[list[float]], list[int]]  # candidates, feature rows, positives


def prepare(directory: str) -> list[tuple[object, Story, int]]:
    """Each work with its story analysed up to (not including) the speakers stage, and its offset."""
    pre = Pipeline(list(DEFAULT_STAGES[: DEFAULT_STAGES.index("speakers")]))
    out = []
    for wid in work_ids(directory):
        w = load_work(directory, wid)
        a, b = analysis_window(w.text, *w.region)
        out.append((w, fabula.analyze(w.text[a:b], pipeline=pre), a))
    return out


def run(work: object, story: Story, a: int, collect: bool) -> tuple[dict, list[tuple[dict, set[str]]]]:
    """Run the speakers stage on one work: its figures and, when ``collect``, its examples."""
    sp.FEATURE_SINK = [] if collect else None
    try:
        done = sp.speakers(story)
        sink = sp.FEATURE_SINK or []
    finally:
        sp.FEATURE_SINK = None
    shifted = shift_story(done, work.text, a)  # type: ignore[attr-defined]
    ref = to_reference(work)  # type: ignore[arg-type]
    figs = score_story(shifted, ref)
    if not collect:
        return figs, []
    mp = map_characters(shifted, ref)
    where = {(q.start_char, q.end_char): k for k, q in enumerate(done.layer("quotes"))}
    moved = shifted.layer("quotes")
    gold = [g for g in work.quotes if g.speaker]  # type: ignore[attr-defined]
    examples = []
    om = story.source.offsets
    entity_at = {m.start_char: m.entity for m in work.mentions if m.entity}  # type: ignore[attr-defined]
    for kind, s, e, feats in sink:
        if kind == "pronoun":
            ent = entity_at.get(om.to_source_span(s, e)[0] + a)
            if ent is not None:
                examples.append((feats, {c for c in feats if mp.get(c) == ent}))
            continue
        q = moved[where[(s, e)]]
        g = next(
            (
                g
                for g in gold
                if (min(q.end_char, g.end_char) - max(q.start_char, g.start_char)) * 2 >= max(len(q), len(g))
            ),
            None,
        )
        if g is None:
            continue
        examples.append((feats, {c for c in feats if mp.get(c) == g.speaker}))
    return figs, examples


def fit(examples: list[tuple[dict, set[str]]], names: list[str], l2: float, seed: int, steps: int = 400) -> dict:
    """Conditional-logit weights by gradient descent on the examples that have a positive candidate."""
    rng = random.Random(seed)
    data = [x for x in examples if x[1]]
    rng.shuffle(data)
    index = {n: i for i, n in enumerate(names)}
    mats, pos = [], []
    for feats, good in data:
        cands = list(feats)
        m = np.zeros((len(cands), len(names)))
        for r, c in enumerate(cands):
            for k, v in feats[c].items():
                if k in index:
                    m[r, index[k]] = v
        mats.append(m)
        pos.append(np.array([c in good for c in cands], dtype=float))
    w0 = np.array([ranker.HAND_WEIGHTS.get(n, 0.0) if PRIOR_HAND else 0.0 for n in names])
    w = w0.copy()
    lr = 0.5
    for _ in range(steps):
        grad = l2 * (w - w0)  # L2 towards the hand weights with --prior hand, else towards 0
        for m, p in zip(mats, pos, strict=True):
            z = m @ w
            z = np.exp(z - z.max())
            prob = z / z.sum()
            target = prob * p / (prob * p).sum()  # the positives' share (several ids may map to the speaker)
            grad += m.T @ (prob - target) / len(mats)
        w -= lr * grad
    return {n: round(float(v), 4) for n, v in zip(names, w, strict=True)}


def train(works: list, names: list[str], l2: float, seed: int, rounds: int) -> dict:
    weights = dict(ranker.HAND_WEIGHTS)
    for _ in range(rounds):
        ranker.set_weights(weights)
        examples = [ex for w, s, a in works for ex in run(w, s, a, True)[1]]
        weights = fit(examples, names, l2, seed) if not SEARCH_FROM_HAND else weights
        if SEARCH:
            weights = search(works, weights, names)
        if ONLY is not None:  # keep the hand weights of the other ranker
            keep = ONLY == "pronoun"
            weights = {k: v for k, v in weights.items() if k.startswith("p_") == keep}
            weights.update({k: v for k, v in ranker.HAND_WEIGHTS.items() if k.startswith("p_") != keep})
    return weights


def search(works: list, start: dict, names: list[str], steps: tuple[float, ...] = (-1.0, -0.4, 0.4, 1.0)) -> dict:
    """Coordinate ascent on end-to-end accuracy over ``works`` from ``start`` (one sweep over ``names``).

    The ranker's features depend on earlier guesses (turn-taking), so the example-level fit of
    :func:`fit` is not the end-to-end objective; this sweep corrects it on the training works."""
    best = dict(start)
    top = accuracy(works, best)["correct"]
    for n in names:
        for d in steps:
            trial = {**best, n: round(best.get(n, 0.0) + d, 4)}
            got = accuracy(works, trial)["correct"]
            if got > top:
                best, top = trial, got
    return best


def accuracy(works: list, weights: dict | None) -> dict:
    ranker.set_weights(weights)
    figs = combine(run(w, s, a, False)[0] for w, s, a in works)
    acc = figs["speaker"]
    return {"correct": acc.correct, "total": acc.total, "accuracy": round(acc.correct / acc.total, 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m train.speakers", description=__doc__.split("\n")[0])
    ap.add_argument("directory")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--l2", type=float, default=0.01)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out", default=None)
    ap.add_argument("--search", choices=("fit", "hand"), default=None, help="coordinate ascent from the fit / hand")
    ap.add_argument("--prior", choices=("zero", "hand"), default="zero", help="what L2 pulls the weights towards")
    ap.add_argument("--only", choices=("line", "pronoun"), default=None, help="learn one ranker only")
    ap.add_argument("--min-confidence", type=float, default=None, help="override speakers.MIN_CONFIDENCE")
    args = ap.parse_args(argv)
    global ONLY, SEARCH, SEARCH_FROM_HAND, PRIOR_HAND
    ONLY = args.only
    PRIOR_HAND = args.prior == "hand"
    SEARCH, SEARCH_FROM_HAND = args.search is not None, args.search == "hand"
    if args.min_confidence is not None:
        sp.MIN_CONFIDENCE = args.min_confidence
    works = prepare(args.directory)
    ranker.set_weights(dict(ranker.HAND_WEIGHTS))
    names: set[str] = set()
    for w, s, a in works:
        for feats, _ in run(w, s, a, True)[1]:
            for f in feats.values():
                names.update(f)
    order = sorted(names)
    folds = []
    for k in range(args.folds):
        held = [x for i, x in enumerate(works) if i % args.folds == k]
        rest = [x for i, x in enumerate(works) if i % args.folds != k]
        wk = train(rest, order, args.l2, args.seed, args.rounds)
        row = {"fold": k, "hand": accuracy(held, dict(ranker.HAND_WEIGHTS)), "learned": accuracy(held, wk)}
        folds.append(row)
        print(json.dumps(row), flush=True)
    pooled = {
        m: round(sum(r[m]["correct"] for r in folds) / sum(r[m]["total"] for r in folds), 4)
        for m in ("hand", "learned")
    }
    mean = {m: round(sum(r[m]["accuracy"] for r in folds) / len(folds), 4) for m in ("hand", "learned")}
    print(json.dumps({"pooled_held_out": pooled, "mean_of_folds": mean}))
    if args.out:
        final = train(works, order, args.l2, args.seed, args.rounds)
        meta = {
            "command": "python -m train.speakers " + " ".join(argv if argv is not None else sys.argv[1:]),
            "folds": folds,
            "pooled_held_out": pooled,
            "mean_of_folds": mean,
        }
        Path(args.out).write_text(json.dumps({"weights": final, "meta": meta}, indent=1) + "\n", "utf-8")
    ranker.set_weights(None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
