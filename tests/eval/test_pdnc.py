"""The PDNC reader on a tiny novel written for the tests (tests/fixtures/pdnc)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fabula.errors import EvalError
from fabula.eval.metrics import PRF
from fabula.eval.pdnc import iter_quotes, novel_dirs, read_characters, read_novel
from fabula.eval.run import eval_pdnc
from tests.conftest import ROOT

PDNC = ROOT / "tests" / "fixtures" / "pdnc"
NOVEL = PDNC / "TheLanternMakers"


def test_pdnc_novel_dirs_finds_folders() -> None:
    assert novel_dirs(PDNC) == [NOVEL]
    assert novel_dirs(NOVEL) == [NOVEL]


def test_pdnc_characters_main_names_and_alias_sets() -> None:
    chars = read_characters(NOVEL / "character_info.csv")
    assert [(c.id, c.aliases, c.gender) for c in chars] == [
        ("Wren Halloway", ("Wren", "Wren Halloway"), "she"),
        ("Odo", ("Master Odo", "Odo"), "he"),
        ("Tamsin Reed", ("Tamsin", "Tamsin Reed"), "she"),
    ]  # _group and _unknowable are no characters


def test_pdnc_quotes_one_per_piece_with_marks() -> None:
    ref = read_novel(NOVEL)
    text = ref.text
    quotes = ref.quotes or ()
    assert len(quotes) == 15  # 11 quotations, 4 of them broken by a tag
    assert [text[q.start_char : q.end_char] for q in quotes[:3]] == [
        '"You are late again,"',
        '"The ferry was late,"',
        '"Everything on the river is late\ntoday."',
    ]
    assert (quotes[1].speaker, quotes[1].addressees, quotes[1].qtype) == ("Wren Halloway", ("Odo",), "Anaphoric")
    assert quotes[2].speaker == "Wren Halloway"  # the second piece keeps the quotation's speaker
    group, unknown = quotes[-3], quotes[-1]
    assert group.speaker is None and group.addressees == ("Wren Halloway",)
    assert unknown.speaker is None and unknown.addressees == ()


def test_pdnc_bad_span_is_an_eval_error(tmp_path: Path) -> None:
    csv = tmp_path / "quotation_info.csv"
    csv.write_text('quoteID,quoteByteSpans,speaker\nQ0,"[[5, 500]]",Odo\n', encoding="utf-8")
    with pytest.raises(EvalError, match="does not fit"):
        list(iter_quotes(csv, "short text"))


def test_pdnc_not_a_pdnc_folder(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="holds no PDNC novel"):
        novel_dirs(tmp_path)


@pytest.mark.issue(4)
def test_pdnc_eval_scores_the_fixture() -> None:
    res = eval_pdnc(PDNC)
    figs = res.total
    q = figs["quotes"]
    assert isinstance(q, PRF)
    assert q.n_gold == 15
    assert q.recall == 1.0  # every piece is in plain double quotes
    assert {"speaker", "speaker_explicit", "speaker_anaphoric", "speaker_implicit", "addressees"} <= set(figs)
