"""Reading fabula-gold/1 files into references."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fabula.errors import EvalError
from fabula.eval.reference import gold_files, load_gold, read_gold_json, uses_offsets
from fabula.eval.run import eval_gold
from tests.conftest import SEED, need

STORY = 'Mara lit the lamp. "It smokes," she said.\n\n"Trim the wick," Jory told her.\n'


def write_gold(folder: Path, *, offsets: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    q1, q2 = '"It smokes,"', '"Trim the wick,"'
    quotes = [
        {"text": q1, "kind": "speech", "speaker": "mara", "addressees": []},
        {"text": q2, "kind": "speech", "speaker": "jory", "addressees": ["mara"]},
    ]
    if offsets:
        for q in quotes:
            q["start"] = STORY.index(q["text"])
            q["end"] = q["start"] + len(q["text"])
    gold = {
        "schema": "fabula-gold/1",
        "text": "story.txt",
        "characters": [
            {"id": "mara", "name": "Mara", "aliases": ["Mara"], "gender": "she"},
            {"id": "jory", "name": "Jory", "aliases": ["Jory"], "gender": "he"},
        ],
        "quotes": quotes,
        "pov": [{"start": 0, "end": len(STORY), "character": "mara"}],
    }
    path = folder / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


def test_reference_load_gold_with_offsets(tmp_path: Path) -> None:
    path = write_gold(tmp_path)
    ref = load_gold(path, STORY)
    assert [STORY[q.start_char : q.end_char] for q in ref.quotes or ()] == ['"It smokes,"', '"Trim the wick,"']
    assert (ref.quotes or ())[1].addressees == ("mara",)
    assert [c.id for c in ref.characters or ()] == ["mara", "jory"]
    assert ref.mentions is None and ref.normalizations is None  # not annotated: not scored


def test_reference_load_gold_by_text(tmp_path: Path) -> None:
    path = write_gold(tmp_path, offsets=False)
    data = read_gold_json(path)
    assert not uses_offsets(data)
    text = STORY.replace("\n\n", "\n \n")  # as a reader might have changed it
    ref = load_gold(path, text, data)
    assert [(q.start_char, q.end_char) for q in ref.quotes or ()] == [(19, 31), (44, 60)]
    assert text[44:60] == '"Trim the wick,"'


def test_reference_gold_files_in_folder(tmp_path: Path) -> None:
    write_gold(tmp_path / "a")
    write_gold(tmp_path / "b")
    (tmp_path / "other.json").write_text("{}", encoding="utf-8")
    assert [p.parent.name for p in gold_files(tmp_path)] == ["a", "b"]


def test_reference_rejects_other_schema(tmp_path: Path) -> None:
    p = tmp_path / "g.json"
    p.write_text('{"schema": "fabula/1", "text": "x"}', encoding="utf-8")
    with pytest.raises(EvalError, match="not a fabula-gold/1 file"):
        read_gold_json(p)


def test_reference_span_outside_text(tmp_path: Path) -> None:
    path = write_gold(tmp_path)
    with pytest.raises(EvalError, match="does not fit"):
        load_gold(path, STORY[:20])


def test_reference_eval_gold_folder(tmp_path: Path) -> None:
    write_gold(tmp_path / "a")
    write_gold(tmp_path / "b", offsets=False)
    res = eval_gold(tmp_path)
    assert len(res.documents) == 2
    q = res.total["quotes"]
    assert (q.n_gold, q.recall) == (4, 1.0)  # type: ignore[union-attr]


@pytest.mark.issue(3)
def test_reference_eval_gold_seed_quotes() -> None:
    res = eval_gold(need(SEED / "gold.json"))
    q = res.total["quotes"]
    assert q.n_gold == 12  # type: ignore[union-attr]
