"""The LitBank loader: token alignment to the original text, annotations as character spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fabula.errors import EvalError
from fabula.eval.litbank import (
    _letters,
    align_tokens,
    analyze_work,
    load_litbank,
    load_work,
    speaker_pronouns,
    to_reference,
    work_ids,
)
from fabula.eval.reference import RefMention, RefQuote
from tests.conftest import LITBANK, need


def _texts(text: str, sentences: list[list[str]]) -> list[str]:
    spans, _ = align_tokens(text, sentences)
    return [text[a:b] for row in spans for a, b in row]


def test_litbank_align_quote_and_dash_styles() -> None:
    text = "\u201cWell\u2014no,\u201d said\nMary; \u2018it\u2019s Tom\u2019s.\u2019"
    toks = [["``", "Well", "--", "no", ",", "''", "said", "Mary", ";", "'", "it", "'s", "Tom", "'s", ".", "'"]]
    assert _texts(text, toks) == [
        "\u201c",
        "Well",
        "\u2014",
        "no",
        ",",
        "\u201d",
        "said",
        "Mary",
        ";",
        "\u2018",
        "it",
        "\u2019s",
        "Tom",
        "\u2019s",
        ".",
        "\u2019",
    ]


def test_litbank_align_italics_markers_and_hyphenation() -> None:
    text = "She _did_ see the fox-\nlike man, to-day."
    toks = [["She", "did", "see", "the", "foxlike", "man", ",", "today", "."]]
    spans, ok = align_tokens(text, toks)
    assert all(ok[0])
    assert [text[a:b] for a, b in spans[0]] == ["She", "did", "see", "the", "fox-\nlike", "man", ",", "to-day", "."]


def test_litbank_align_underscore_tokens_kept_when_tokenised() -> None:
    text = "_You_ want it."
    assert _texts(text, [["_", "You", "_", "want", "it", "."]]) == ["_", "You", "_", "want", "it", "."]


def test_litbank_align_tokens_missing_on_either_side() -> None:
    text = "Chapter One\n\n[Illustration: a lamp]\n\nThe lamp was lit at nine by the old keeper."
    toks = [["Chapter", "One"], ["The", "lamp", "was", "ZZZQ", "lit", "at", "nine", "by", "the", "old", "keeper", "."]]
    spans, ok = align_tokens(text, toks)
    assert ok == [[True, True], [True, True, True, False, True, True, True, True, True, True, True, True]]
    words = [text[a:b] for a, b in spans[1]]
    assert words[:3] == ["The", "lamp", "was"] and words[4:8] == ["lit", "at", "nine", "by"]
    assert spans[1][3][0] == spans[1][3][1] == spans[1][2][1]  # unaligned: zero width after its neighbour
    assert words[-2:] == ["keeper", "."]


def test_litbank_align_ellipsis_of_four_dots() -> None:
    assert _texts("Wait.... No.", [["Wait", "...", "."], ["No", "."]]) == ["Wait", "...", ".", "No", "."]


def test_litbank_align_excerpt_starts_mid_text() -> None:
    text = "A preface nobody tokenised.\n\nIt began at dawn. It ended at dusk."
    spans, ok = align_tokens(text, [["It", "began", "at", "dawn", "."], ["It", "ended"]])
    assert all(all(r) for r in ok)
    assert spans[0][0][0] == text.index("It began")


def _write_fixture(root: Path) -> None:
    """A tiny LitBank-layout folder with original prose."""
    for sub in ("original", "quotations", "coref", "entities"):
        (root / sub).mkdir(parents=True)
    (root / "original" / "1_lamp.txt").write_text(
        "THE LAMP\n\n\n\u201cIs it lit?\u201d asked Old\nTom.\n\nNell nodded. \u201cIt is.\u201d\n", encoding="utf-8"
    )
    tokens = "THE LAMP \u201c Is it lit ? \u201d asked Old Tom .\nNell nodded .\n\u201c It is . \u201d\n"
    (root / "quotations" / "1_lamp_brat.txt").write_text(tokens, encoding="utf-8")
    (root / "coref" / "1_lamp_brat.txt").write_text(tokens, encoding="utf-8")
    (root / "quotations" / "1_lamp_brat.ann").write_text(
        "QUOTE\tQ1\t0\t2\t0\t7\t\u201c Is it lit ? \u201d\nQUOTE\tQ2\t2\t0\t2\t4\t\u201c It is . \u201d\n"
        "ATTRIB\tQ1\tTom-0\nATTRIB\tQ2\tNell-1\n",
        encoding="utf-8",
    )
    (root / "coref" / "1_lamp_brat.ann").write_text(
        "MENTION\tT1\t0\t9\t0\t10\tOld Tom\tPER\tPROP\nMENTION\tT2\t1\t0\t1\t0\tNell\tPER\tPROP\n"
        "MENTION\tT3\t0\t1\t0\t1\tLAMP\tVEH\tNOM\nCOREF\tT1\tTom-0\nCOREF\tT2\tNell-1\nCOREF\tT3\tlamp-2\n",
        encoding="utf-8",
    )
    rows = [
        ("THE", "O"),
        ("LAMP", "O"),
        ("\u201c", "O"),
        ("Is", "O"),
        ("it", "O"),
        ("lit", "O"),
        ("?", "O"),
        ("\u201d", "O"),
        ("asked", "O"),
        ("Old", "B-PER"),
        ("Tom", "I-PER"),
        (".", "O"),
        None,
        ("Nell", "B-PER"),
        ("nodded", "O"),
        (".", "O"),
        None,
        ("\u201c", "O"),
        ("It", "O"),
        ("is", "O"),
        (".", "O"),
        ("\u201d", "O"),
        None,
    ]
    (root / "entities" / "1_lamp_brat.tsv").write_text(
        "".join("\n" if r is None else f"{r[0]}\t{r[1]}\tO\tO\tO\t\n" for r in rows), encoding="utf-8"
    )


def test_litbank_load_work_on_fixture(tmp_path: Path) -> None:
    _write_fixture(tmp_path)
    assert work_ids(tmp_path) == ["1_lamp"]
    w = load_work(tmp_path, "1_lamp")
    assert w.aligned_share == 1.0
    assert w.region == (0, len(w.text) - 1)
    assert [(w.text[q.start_char : q.end_char], q.speaker) for q in w.quotes] == [
        ("\u201cIs it lit?\u201d", "Tom-0"),
        ("\u201cIt is.\u201d", "Nell-1"),
    ]
    assert [(w.text[m.start_char : m.end_char], m.entity, m.label, m.kind) for m in w.mentions] == [
        ("LAMP", "lamp-2", "VEH", "NOM"),
        ("Old\nTom", "Tom-0", "PER", "PROP"),
        ("Nell", "Nell-1", "PER", "PROP"),
    ]
    assert [(w.text[e.start_char : e.end_char], e.label, e.layer) for e in w.entities] == [
        ("Old\nTom", "PER", 1),
        ("Nell", "PER", 1),
    ]
    assert w.speakers == {"Nell-1": "Nell", "Tom-0": "Old Tom"}


def test_litbank_analyze_work_maps_back_to_original(tmp_path: Path) -> None:
    _write_fixture(tmp_path)
    w = load_work(tmp_path, "1_lamp")
    story = analyze_work(w)
    assert story.text == w.text
    assert [story.span_text(q) for q in story.layer("quotes")] == ["\u201cIs it lit?\u201d", "\u201cIt is.\u201d"]


def test_litbank_not_a_litbank_folder(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="not a LitBank folder"):
        work_ids(tmp_path)


@pytest.mark.issue(3)
def test_litbank_dev_tokens_align_to_original() -> None:
    works = load_litbank(need(LITBANK))
    assert len(works) == 70
    total = sum(w.n_tokens for w in works)
    aligned = sum(sum(sum(r) for r in w.token_aligned) for w in works)
    assert aligned / total >= 0.995, f"only {aligned}/{total} tokens aligned"
    for w in works:
        for toks, spans, oks in zip(w.sentences, w.token_spans, w.token_aligned, strict=True):
            for tok, (a, b), ok in zip(toks, spans, oks, strict=True):
                if ok:
                    assert _letters(tok) == _letters(w.text[a:b]), (w.id, tok, w.text[a:b])
    assert sum(len(w.quotes) for w in works) == 1207
    quotes = [(w, q) for w in works for q in w.quotes]
    assert all(q.end_char > q.start_char for _, q in quotes)
    marked = sum(w.text[q.start_char] in "\"\u201c\u2018'" for w, q in quotes)
    assert marked / len(quotes) > 0.97  # a few gold quotes leave their marks out (A Portrait's dashes)


def test_litbank_to_reference_on_fixture(tmp_path: Path) -> None:
    _write_fixture(tmp_path)
    ref = to_reference(load_work(tmp_path, "1_lamp"))
    assert ref.outermost_quotes and ref.region is not None
    assert [(q.speaker, q.kind) for q in ref.quotes or ()] == [("Tom-0", None), ("Nell-1", None)]
    assert [(m.entity, m.kind) for m in ref.mentions or ()] == [("Tom-0", "proper"), ("Nell-1", "proper")]  # PER only
    assert [(c.id, c.name) for c in ref.characters or ()] == [("Nell-1", "Nell"), ("Tom-0", "Old Tom")]
    assert ref.speaker_pronouns == ()


def test_litbank_speaker_pronouns_subject_forms_only() -> None:
    text = '"Go," he said to her.\n\n"No," said she. Then she went.'
    quotes = (RefQuote(0, 5, speaker="a"), RefQuote(23, 28, speaker="b"))
    mentions = (
        RefMention(6, 8, entity="a", kind="pronoun"),  # he: tags the quote
        RefMention(17, 20, entity="b", kind="pronoun"),  # her: not a subject form
        RefMention(34, 37, entity="b", kind="pronoun"),  # she: tags the quote
        RefMention(44, 47, entity="b", kind="pronoun"),  # she: the next sentence
    )
    got = speaker_pronouns(text, quotes, mentions)
    assert [text[m.start_char : m.end_char] for m in got] == ["he", "she"]
    assert [m.start_char for m in got] == [6, 34]


def test_litbank_align_skips_a_long_stretch_missing_from_litbank() -> None:
    filler = " ".join(f"word{i}" for i in range(1500))  # far more than the search window
    text = f"The keeper lit the lamp.\n\n{filler}\n\nThe ships came home at last, all of them safe."
    toks = [["The", "keeper", "lit", "the", "lamp", "."], ["The", "ships", "came", "home", "at", "last", ",", "all"]]
    spans, ok = align_tokens(text, toks)
    assert all(ok[0]) and all(ok[1])
    assert text[spans[1][0][0] : spans[1][-1][1]] == "The ships came home at last, all"


def test_litbank_context_reads_more_of_the_original(tmp_path: Path) -> None:
    _write_fixture(tmp_path)
    original = tmp_path / "original" / "1_lamp.txt"
    before = "\u201cFar off,\u201d said Bram.\n\n" + "The road ran on. " * 200 + "\n\n"
    original.write_text(before + original.read_text(encoding="utf-8"), encoding="utf-8")
    w = load_work(tmp_path, "1_lamp")
    assert w.region[0] >= len(before) - 2
    narrow = analyze_work(w, context=100)
    whole = analyze_work(w, context=len(w.text))
    assert "\u201cFar off,\u201d" not in [narrow.span_text(q) for q in narrow.layer("quotes")]
    assert next(whole.span_text(q) for q in whole.layer("quotes")) == "\u201cFar off,\u201d"


def test_litbank_eval_context_option(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from fabula.cli.main import cli

    _write_fixture(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(cli, ["eval", "litbank", str(tmp_path), "--context", "all", "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["figures"]["quotes"]["f1"] == 1.0
    bad = runner.invoke(cli, ["eval", "litbank", str(tmp_path), "--context", "lots"])
    assert bad.exit_code == 2
    assert "neither a number of characters nor 'all'" in bad.output
