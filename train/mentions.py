"""Train and measure fabula's proper-name mention model on LitBank (issue 3).

Usage (from the repository folder)::

    python -m train.mentions --litbank ../shared/litbank-dev --cv 5 --out fabula/data/mentions.json

trains an averaged perceptron over :func:`fabula.characters.detect.features` (then a second,
document-level one over its out-of-fold scores; ``--passes 3`` adds a third, self-training
one, measured worse and off by default) on every work and writes the model. The texts
are the annotated excerpts of the original novels as fabula's reader normalises them, with
2,000 characters of context either side, exactly what ``fabula eval litbank`` analyses
(``--text tokens`` uses LitBank's tokenised sentences instead). ``--cv 5`` first
cross-validates by work (no work in both a train and a test fold; the word classes of
:mod:`train.clusters` are rebuilt per fold from the training works' novels only) and prints
proper-name person-mention precision / recall / F1 (exact spans) and the alias-clustering
B-cubed F1 over gold and over predicted proper-name mentions; ``--original`` also scores each
fold with the ``fabula.eval`` harness. The run is deterministic for a given ``--seed``.

The shipped tables it reads are built first: ``python -m train.places`` and
``python -m train.clusters``. LitBank is CC BY 4.0 (see NOTICE)."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from fabula.characters import detect
from fabula.characters.detect import Candidate, Model, candidates, doc_stats, features, name_spans, second_features
from train.clusters import build as build_classes
from train.clusters import original_texts
from train.litbank import Work, read_litbank, read_original

PASSES = 2  # 3 (self-training over the document) measured worse: see bench/RESULTS.md (H12)


@dataclass(frozen=True)
class Doc:
    """One work's candidates: feature lists, labels, base forms, and which lie in the annotated region."""

    feats: list[list[str]]
    labels: list[int]
    lows: list[str]
    inside: list[bool]
    cands: list[Candidate]


def examples(work: Work) -> Doc:
    """Candidates with labels: 1 when the candidate lies inside a gold proper PER mention.

    Candidates outside the annotated region are kept (they inform the document-level scores)
    but are not trained on.
    """
    text = work.text
    gold = work.proper_persons()
    cands = candidates(text)
    stats = doc_stats(text, cands)
    feats = [features(text, cands, i, stats) for i in range(len(cands))]
    labels = [int(any(g.start <= c.start and c.end <= g.end for g in gold)) for c in cands]
    inside = [work.inside(c.start, c.end) for c in cands]
    return Doc(feats, labels, [c.low for c in cands], inside, cands)


def perceptron(data: list[tuple[list[str], int]], *, epochs: int, seed: int) -> dict[str, float]:
    """An averaged perceptron (binary); weights below 1e-3 are dropped."""
    rng = random.Random(seed)
    w: dict[str, float] = defaultdict(float)
    total: dict[str, float] = defaultdict(float)
    stamp: dict[str, int] = defaultdict(int)
    t = 0
    order = list(range(len(data)))
    for _ in range(epochs):
        rng.shuffle(order)
        for k in order:
            feats, y = data[k]
            t += 1
            score = sum(w[f] for f in feats)
            if (score > 0) != bool(y):
                delta = 1.0 if y else -1.0
                for f in feats:
                    total[f] += (t - stamp[f]) * w[f]
                    stamp[f] = t
                    w[f] += delta
    avg = {}
    for f, v in w.items():
        a = (total[f] + (t - stamp[f]) * v) / t
        if abs(a) >= 1e-3:
            avg[f] = round(a, 4)
    return avg


def _flat(docs: list[Doc]) -> list[tuple[list[str], int]]:
    return [(f, y) for d in docs for f, y, ok in zip(d.feats, d.labels, d.inside, strict=True) if ok]


def train(docs: list[Doc], *, epochs: int, seed: int, passes: int = PASSES) -> Model:
    """Train the local model on every doc, and the document-level model on local scores that
    were computed out of fold (two halves of the training works score each other). With
    ``passes=3`` a third model rescores with the second's out-of-fold scores of the word's
    other uses (the second model of each half is trained on the other half)."""
    local = perceptron(_flat(docs), epochs=epochs, seed=seed)
    order = list(range(len(docs)))
    random.Random(seed + 1).shuffle(order)
    halves = [[docs[i] for i in order[0::2]], [docs[i] for i in order[1::2]]]
    second: list[list[tuple[list[str], int]]] = [[], []]
    extras: list[list[list[list[str]]]] = [[], []]
    for k in (0, 1):
        w = perceptron(_flat(halves[1 - k]), epochs=epochs, seed=seed)
        for d in halves[k]:
            first = [sum(w.get(f, 0.0) for f in fs) for fs in d.feats]
            extra = second_features(first, d.lows, d.cands)
            extras[k].append(extra)
            second[k] += [(fs + g, y) for fs, g, y, ok in zip(d.feats, extra, d.labels, d.inside, strict=True) if ok]
    doc = perceptron(second[0] + second[1], epochs=epochs, seed=seed)
    if passes < 3:
        return Model(local=local, doc=doc)
    third: list[tuple[list[str], int]] = []
    for k in (0, 1):
        w2 = perceptron(second[1 - k], epochs=epochs, seed=seed)
        for d, extra in zip(halves[k], extras[k], strict=True):
            sc = [sum(w2.get(f, 0.0) for f in fs + g) for fs, g in zip(d.feats, extra, strict=True)]
            more = second_features(sc, d.lows, d.cands, prefix="t")
            third += [
                (fs + g + h, y) for fs, g, h, y, ok in zip(d.feats, extra, more, d.labels, d.inside, strict=True) if ok
            ]
    again = perceptron(third, epochs=epochs, seed=seed)
    return Model(local=local, doc=doc, again=again)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def b_cubed(gold: dict[tuple[int, int], str], pred: dict[tuple[int, int], str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over the mentions both sides share.

    ``gold`` and ``pred`` map a mention span to its cluster id.
    """
    keys = [k for k in gold if k in pred]
    if not keys:
        return 0.0, 0.0, 0.0
    g_members: dict[str, set[tuple[int, int]]] = defaultdict(set)
    p_members: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for k in keys:
        g_members[gold[k]].add(k)
        p_members[pred[k]].add(k)
    p_sum = r_sum = 0.0
    for k in keys:
        g, p = g_members[gold[k]], p_members[pred[k]]
        inter = len(g & p)
        p_sum += inter / len(p)
        r_sum += inter / len(g)
    p_, r_ = p_sum / len(keys), r_sum / len(keys)
    return p_, r_, (2 * p_ * r_ / (p_ + r_) if p_ + r_ else 0.0)


def cluster_eval(
    work: Work, spans: list[tuple[int, int]]
) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """Gold and predicted cluster ids for ``spans`` (predicted by fabula's alias clustering)."""
    from fabula.characters.cluster import cluster_names

    gold = {(g.start, g.end): g.entity for g in work.proper_persons()}
    ids = cluster_names(work.text, spans)
    return gold, {sp: cid for sp, cid in zip(spans, ids, strict=True)}


def evaluate(works: list[Work], model: Model) -> dict[str, float]:
    """Mention P/R/F1 (exact proper PER spans) and B-cubed F1 (gold mentions and predicted ones)."""
    tp = n_pred = n_gold = 0
    bc_gold: list[tuple[float, int]] = []
    bc_pred: list[tuple[float, int]] = []
    for wk in works:
        cands = candidates(wk.text)
        stats = doc_stats(wk.text, cands)
        pred = {sp for sp in name_spans(wk.text, cands, stats, model) if wk.inside(*sp)}
        gold_spans = sorted({(g.start, g.end) for g in wk.proper_persons()})
        tp += len(pred & set(gold_spans))
        n_pred += len(pred)
        n_gold += len(gold_spans)
        g, p = cluster_eval(wk, gold_spans)
        bc_gold.append((b_cubed(g, p)[2], len(gold_spans)))
        g, p = cluster_eval(wk, sorted(pred))
        bc_pred.append((b_cubed(g, p)[2], len(set(g) & set(p))))
    p_, r_, f_ = prf(tp, n_pred, n_gold)

    def wavg(xs: list[tuple[float, int]]) -> float:
        n = sum(k for _, k in xs)
        return sum(v * k for v, k in xs) / n if n else 0.0

    return {
        "P": p_,
        "R": r_,
        "F1": f_,
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
        "B3_gold_mentions": wavg(bc_gold),
        "B3_pred_mentions": wavg(bc_pred),
    }


def evaluate_original(folder: Path, names: set[str], model: Model) -> dict[str, object]:
    """Score ``names`` with fabula's LitBank harness (original texts, the real pipeline up to
    ``characters``) using ``model`` for mention detection; returns the combined figures."""
    from fabula.characters import detect
    from fabula.eval.litbank import analyze_work, load_work, to_reference
    from fabula.eval.score import combine, score_story
    from fabula.pipeline import DEFAULT_STAGES, Pipeline

    stages = list(DEFAULT_STAGES[: DEFAULT_STAGES.index("characters") + 1])
    saved = detect.load_model
    detect.load_model = lambda: model  # type: ignore[assignment]
    try:
        figs = []
        for name in sorted(names):
            work = load_work(folder, name)
            story = analyze_work(work, pipeline=Pipeline(stages))
            figs.append(score_story(story, to_reference(work)))
    finally:
        detect.load_model = saved
    return dict(combine(figs))


def folds(works: list[Work], k: int, seed: int) -> list[list[Work]]:
    """``k`` folds of whole works, shuffled with ``seed``."""
    order = list(works)
    random.Random(seed).shuffle(order)
    return [order[i::k] for i in range(k)]


def _combine_original(figs: list[dict[str, object]]) -> dict[str, object]:
    from fabula.eval.metrics import PRF, Accuracy, add_figures

    out: dict[str, object] = {}
    for key in ("mentions_proper", "mentions_all", "alias_bcubed", "speaker_pronouns"):
        total: object = None
        for f in figs:
            v = f.get(key)
            if isinstance(v, PRF | Accuracy):
                total = v if not isinstance(total, PRF | Accuracy) else add_figures(total, v)
        if isinstance(total, PRF):
            out[key] = {"P": round(total.precision, 4), "R": round(total.recall, 4), "F1": round(total.f1, 4)}
        elif isinstance(total, Accuracy):
            out[key] = total.to_dict()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--litbank", type=Path, default=Path("../shared/litbank-dev"))
    ap.add_argument("--out", type=Path, default=None, help="write the model trained on every work here")
    ap.add_argument("--cv", type=int, default=0, help="cross-validate by work with this many folds first")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--passes", type=int, default=PASSES, choices=(2, 3), help="scoring passes (3: self-training)")
    ap.add_argument(
        "--text",
        choices=("original", "tokens"),
        default="original",
        help="train and score on the original texts as fabula reads them (default) or on LitBank's tokens",
    )
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--original",
        action="store_true",
        help="also score each fold on the original texts with fabula's LitBank harness (fabula.eval)",
    )
    args = ap.parse_args(argv)
    works = read_original(args.litbank) if args.text == "original" else read_litbank(args.litbank)
    shipped_classes = detect.word_classes
    report: dict[str, object] = {"works": len(works), "seed": args.seed, "epochs": args.epochs, "text": args.text}
    if args.cv:
        t0 = time.perf_counter()
        totals = {"tp": 0, "pred": 0, "gold": 0}
        b3g: list[tuple[float, int]] = []
        b3p: list[tuple[float, int]] = []
        per_fold = []
        orig_figs: list[dict[str, object]] = []
        for i, test in enumerate(folds(works, args.cv, args.seed)):
            names = {wk.name for wk in test}
            # word classes from the training works' novels only: no test text informs its features
            fold_classes = build_classes(original_texts(args.litbank, {wk.name for wk in works} - names))
            detect.word_classes = lambda table=fold_classes: table  # type: ignore[assignment]
            data = {wk.name: examples(wk) for wk in works}
            model = train(
                [data[wk.name] for wk in works if wk.name not in names],
                epochs=args.epochs,
                seed=args.seed,
                passes=args.passes,
            )
            res = evaluate(test, model)
            if args.original:
                orig_figs.append(evaluate_original(args.litbank, {wk.name for wk in test}, model))
            per_fold.append({k: round(v, 4) for k, v in res.items()})
            for k in totals:
                totals[k] += int(res[k])
            b3g.append((res["B3_gold_mentions"], int(res["gold"])))
            b3p.append((res["B3_pred_mentions"], int(res["tp"])))
            print(
                f"fold {i}: P={res['P']:.3f} R={res['R']:.3f} F1={res['F1']:.3f} "
                f"B3(gold)={res['B3_gold_mentions']:.3f} B3(pred)={res['B3_pred_mentions']:.3f}",
                file=sys.stderr,
            )
        detect.word_classes = shipped_classes
        p_, r_, f_ = prf(totals["tp"], totals["pred"], totals["gold"])
        report["cv"] = {
            "folds": args.cv,
            "P": round(p_, 4),
            "R": round(r_, 4),
            "F1": round(f_, 4),
            **totals,
            "B3_gold_mentions": round(sum(v * n for v, n in b3g) / max(1, sum(n for _, n in b3g)), 4),
            "B3_pred_mentions": round(sum(v * n for v, n in b3p) / max(1, sum(n for _, n in b3p)), 4),
            "per_fold": per_fold,
            **({"original": _combine_original(orig_figs)} if orig_figs else {}),
            "seconds": round(time.perf_counter() - t0, 1),
        }
    if args.out:
        data = {wk.name: examples(wk) for wk in works}
        model = train([data[wk.name] for wk in works], epochs=args.epochs, seed=args.seed, passes=args.passes)
        payload = {
            "about": "fabula proper-name person-mention model: averaged perceptron over "
            "fabula.characters.detect.features, trained on LitBank dev (CC BY 4.0) by "
            f"`python -m train.mentions --litbank ../shared/litbank-dev --out {args.out} "
            f"--seed {args.seed} --epochs {args.epochs}`",
            "version": "3",
            "seed": args.seed,
            "epochs": args.epochs,
            "local": dict(sorted(model.local.items())),
            "doc": dict(sorted(model.doc.items())),
            **({"again": dict(sorted(model.again.items()))} if model.again else {}),
        }
        args.out.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        report["features"] = len(model.local) + len(model.doc) + len(model.again or {})
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        cv = report.get("cv")
        if isinstance(cv, dict):
            print(
                f"cross-validated by work ({cv['folds']} folds, seed {args.seed}): "
                f"proper PER mentions P={cv['P']:.3f} R={cv['R']:.3f} F1={cv['F1']:.3f}; "
                f"alias B3 F1 on gold mentions {cv['B3_gold_mentions']:.3f}, on predicted {cv['B3_pred_mentions']:.3f}"
            )
            if "original" in cv:
                print(f"the same folds scored on the original texts by fabula.eval: {cv['original']}")
        if args.out:
            print(f"wrote {args.out} ({report['features']} features)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
