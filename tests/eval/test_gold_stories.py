"""The project's held-out fan-fiction gold stories (bench/gold-stories): they load, slice back, and hold their floors.

The stories were written for the project and annotated by hand; see bench/gold-stories/README.md.
They are a held-out check, never a set to tune rules on: when a floor here fails, the fix must be
general (and re-measured on LitBank), not fitted to these lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fabula.eval.metrics import PRF, Accuracy
from fabula.eval.reference import gold_files, load_gold, read_gold_json
from fabula.eval.run import EvalResult, eval_gold
from tests.conftest import ROOT

GOLD = ROOT / "bench" / "gold-stories"
FILES = sorted(GOLD.glob("*/gold.json"))

# Floors a little below the figures measured on 2026-11-25 (bench/RESULTS.md, "Held-out check"):
# quote F1 1.000, speakers 0.768 (139 / 181), addressees 0.713 (124 / 174), alias clustering 0.500 (8 / 16).
FLOORS = {"quotes": 0.98, "speaker": 0.72, "addressees": 0.66, "alias_characters": 0.43}


def _gold(path: Path) -> tuple[dict[str, Any], str]:
    return json.loads(path.read_text(encoding="utf-8")), (path.parent / "story.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result() -> EvalResult:
    return eval_gold(GOLD)


def test_gold_stories_are_all_found() -> None:
    assert len(FILES) >= 8
    assert gold_files(GOLD) == FILES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_gold_stories_load(path: Path) -> None:
    data, text = _gold(path)
    ref = load_gold(path, text, read_gold_json(path))
    assert ref.quotes is not None and len(ref.quotes) == len(data["quotes"]) >= 15
    assert 250 <= len(text.split()) <= 650  # the story plus its paratext


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_gold_stories_spans_slice_back(path: Path) -> None:
    data, text = _gold(path)
    ids = {c["id"] for c in data["characters"]}
    starts = [q["start"] for q in data["quotes"]]
    assert starts == sorted(starts)
    for q in data["quotes"]:
        assert text[q["start"] : q["end"]] == q["text"], q
        assert q["kind"] in ("speech", "thought")
        assert q["speaker"] is None or q["speaker"] in ids, q
        assert set(q["addressees"]) <= ids - {q["speaker"]}, q
        assert q["kind"] == "speech" or q["addressees"] == [], q
    for n in data.get("normalizations", []):
        assert text[n["start"] : n["end"]] == n["form"], n
    for b in data.get("scene_breaks", []):
        assert text[b["start"] : b["end"]] == b["form"], b
    for item in data.get("paratext", []) + data.get("pov", []):
        assert 0 <= item["start"] < item["end"] <= len(text), item
    for p in data.get("pov", []):
        assert p["character"] is None or p["character"] in ids, p


@pytest.mark.issue(4)
def test_gold_stories_figures_hold_their_floors(result: EvalResult) -> None:
    total = result.total
    assert len(result.documents) == len(FILES)
    quotes = total["quotes"]
    assert isinstance(quotes, PRF) and quotes.f1 >= FLOORS["quotes"], quotes
    for key in ("speaker", "addressees", "alias_characters"):
        fig = total[key]
        assert isinstance(fig, Accuracy) and fig.value is not None, (key, fig)
        assert fig.value >= FLOORS[key], (key, fig)
