"""score_story on hand-built stories and references: every metric, with exact expected numbers."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from fabula.eval.metrics import PRF, Absent, Accuracy
from fabula.eval.reference import (
    RefCharacter,
    Reference,
    RefMention,
    RefMisspelling,
    RefNormalization,
    RefPov,
    RefQuote,
)
from fabula.eval.score import combine, map_characters, quote_errors, score_story
from fabula.model import Alias, Character, Mention, Quote, Span, Story

TEXT = (
    '"Come \'ere," said Ann. Bo frowned. "No," he said.\n\n'
    'Ann Lee smiled. "Please?" she asked Bo.\n\n'
    "Bo thought: ~never~."
)


def at(s: str, nth: int = 0) -> tuple[int, int]:
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(s, i + 1)
    return i, i + len(s)


@dataclass(frozen=True, slots=True)
class Norm(Span):
    standard: str = ""


def reference(**over: object) -> Reference:
    fields: dict[str, object] = dict(
        name="hand",
        text=TEXT,
        quotes=(
            RefQuote(*at('"Come \'ere,"'), kind="speech", speaker="ann", addressees=("bo",), qtype="Explicit"),
            RefQuote(
                *at('"No,"'), kind="speech", speaker="bo", addressees=("ann",), qtype="Anaphoric", remembered=True
            ),
            RefQuote(*at('"Please?"'), kind="speech", speaker="ann", addressees=("bo",), qtype="Anaphoric"),
            RefQuote(*at("~never~"), kind="thought", speaker="bo", addressees=()),
        ),
        mentions=(
            RefMention(*at("Ann"), entity="ann", kind="proper"),
            RefMention(*at("Bo"), entity="bo", kind="proper"),
            RefMention(*at("he"), entity="bo", kind="pronoun"),
            RefMention(*at("Ann Lee"), entity="ann", kind="proper"),
            RefMention(*at("she"), entity="ann", kind="pronoun"),
            RefMention(*at("Bo", 1), entity="bo", kind="proper"),
            RefMention(*at("Bo", 2), entity="bo", kind="proper"),
        ),
        characters=(RefCharacter("ann", "Ann Lee", ("Ann",)), RefCharacter("bo", "Bo")),
        speaker_pronouns=(
            RefMention(*at("he"), entity="bo", kind="pronoun"),
            RefMention(*at("she"), entity="ann", kind="pronoun"),
        ),
        pov=(RefPov(0, len(TEXT), character="ann"),),
        normalizations=(RefNormalization(*at("'ere"), standard="here"),),
        misspellings=(RefMisspelling(*at("thought"), suggestion="thought"),),
    )
    fields.update(over)
    return Reference(**fields)  # type: ignore[arg-type]


SPLIT = TEXT.index("Bo thought")


def story() -> Story:
    s = Story(TEXT)
    s = s.with_layer(
        "quotes",
        [
            Quote(*at('"Come \'ere,"'), speaker="c1", addressees=("c2",)),
            Quote(*at('"No,"'), speaker="c1", remembered=True),
            Quote(*at("Ann Lee smiled."), speaker="c1", remembered=True),  # spurious, inside no gold quote
            Quote(*at("~never~"), kind="speech", speaker="c2"),  # wrong kind: no match
            Quote(*at("Bo frowned."), speaker="c2"),  # spurious
        ],
        stage="speakers",
    )
    s = s.with_layer(
        "mentions",
        [
            Mention(*at("Ann"), character="c1", kind="proper"),
            Mention(*at("Bo"), character="c2", kind="proper"),
            Mention(*at("he"), character="c2", kind="pronoun"),
            Mention(at("Ann Lee")[0], at("Ann Lee")[0] + 3, character="c1", kind="proper"),  # "Ann" of "Ann Lee"
            Mention(*at("she"), character="c2", kind="pronoun"),  # wrong character
            Mention(*at("Bo", 1), character="c1", kind="proper"),  # wrong character
        ],
        stage="characters",
    )
    s = s.with_characters(
        [
            Character("c1", "Ann Lee", aliases=(Alias("Ann", 2), Alias("Ann Lee", 1))),
            Character("c2", "Bo", aliases=(Alias("Bo", 3),)),
        ],
        stage="characters",
    )
    s = s.with_layer("pov", [Mention(0, SPLIT, character="c1"), Mention(SPLIT, len(TEXT), character="c2")], stage="pov")
    s = s.with_layer(
        "normalizations", [Norm(*at("'ere"), standard="Here"), Norm(*at("frowned"), standard="frown")], stage="dialect"
    )
    return s.with_layer("misspellings", [Span(*at("smiled"))], stage="spelling")


def test_score_maps_characters_by_mentions_and_names() -> None:
    assert map_characters(story(), reference()) == {"c1": "ann", "c2": "bo"}


def test_score_quotes_and_speakers() -> None:
    f = score_story(story(), reference())
    assert f["quotes"] == PRF(2, 5, 2, 4)
    assert f["speaker"] == Accuracy(1, 4)  # only "Come 'ere"; "No," misattributed, two not detected
    assert f["speaker_detected"] == Accuracy(1, 2)
    assert f["speaker_explicit"] == Accuracy(1, 1)
    assert f["speaker_anaphoric"] == Accuracy(0, 2)
    assert f["addressees"] == Accuracy(1, 3)
    assert f["remembered"] == PRF(1, 2, 1, 1)


def test_score_mentions_and_clustering() -> None:
    f = score_story(story(), reference())
    assert f["mentions_proper"] == PRF(3, 4, 3, 5)
    assert f["mentions_all"] == PRF(5, 6, 5, 7)  # "she" has the right span though the wrong character
    b = f["alias_bcubed"]
    assert isinstance(b, PRF)
    assert b.precision == pytest.approx(2 / 3)  # items: Ann, Bo, Ann Lee, Bo (asked); "Bo thought" not found
    assert b.recall == pytest.approx(3 / 4)
    assert f["speaker_pronouns"] == Accuracy(1, 2)


def test_score_pov_normalizations_misspellings() -> None:
    f = score_story(story(), reference())
    quote_chars = sum(len(q) for q in reference().quotes or ())
    before = sum(len(q) for q in (reference().quotes or ())[:3])
    assert f["pov"] == Accuracy(SPLIT - before, len(TEXT) - quote_chars)
    assert f["normalizations"] == PRF(1, 2, 1, 1)  # standard compared without regard to case
    assert f["misspellings"] == PRF(0, 1, 0, 1)


def test_score_alias_characters_gold_format_rule() -> None:
    ref = reference(mentions=None, speaker_pronouns=None)
    assert score_story(story(), ref)["alias_characters"] == Accuracy(1, 1)  # Bo has one name: not scored
    merged = story().with_characters(
        [Character("c1", "Ann Lee", aliases=(Alias("Ann", 2), Alias("Bo", 1)))], stage="characters"
    )
    assert score_story(merged, ref)["alias_characters"] == Accuracy(0, 1)


def test_score_absent_layers_are_absent_not_zero() -> None:
    bare = Story(TEXT).with_layer("quotes", [Quote(*at('"No,"'))], stage="quotes")
    f = score_story(bare, reference())
    assert f["quotes"] == PRF(1, 1, 1, 4)
    for key in ("speaker", "speaker_detected", "addressees", "speaker_explicit"):
        assert isinstance(f[key], Absent), key
    for key in ("mentions_proper", "mentions_all", "alias_bcubed", "speaker_pronouns", "pov", "normalizations"):
        assert isinstance(f[key], Absent), key


def test_score_attribution_that_found_nothing_scores_zero() -> None:
    ran = Story(TEXT).with_layer("quotes", [Quote(*at('"No,"'))], stage="speakers")
    assert score_story(ran, reference())["speaker"] == Accuracy(0, 4)


def test_score_unannotated_metrics_are_left_out() -> None:
    ref = Reference("q", TEXT, quotes=(RefQuote(*at('"No,"'), speaker="bo"),))
    f = score_story(story(), ref)
    assert list(f) == ["quotes", "speaker", "speaker_detected"]


def test_score_region_ignores_predictions_outside() -> None:
    lo, hi = 0, TEXT.index("\n\n")
    ref = Reference("r", TEXT, region=(lo, hi), quotes=(RefQuote(*at('"No,"'), speaker="bo"),))
    f = score_story(story(), ref)
    assert f["quotes"] == PRF(1, 3, 1, 1)  # "Come 'ere", "No,", "Bo frowned." are inside; ~never~ is not


def test_score_combine_sums_counts() -> None:
    f = combine([{"speaker": Accuracy(1, 2)}, {"speaker": Accuracy(2, 2), "quotes": PRF(1, 1, 1, 1)}])
    assert f == {"quotes": PRF(1, 1, 1, 1), "speaker": Accuracy(3, 4)}


def test_score_outermost_quotes_only_when_the_source_says_so() -> None:
    outer = Span(*at('"Come \'ere," said Ann.'))
    inner = Span(*at('"Come \'ere,"'))
    s = Story(TEXT).with_layer("quotes", [Quote(outer.start_char, outer.end_char), Quote(*at("'ere"))], stage="quotes")
    ref = Reference("o", TEXT, outermost_quotes=True, quotes=(RefQuote(inner.start_char, inner.end_char),))
    assert score_story(s, ref)["quotes"] == PRF(1, 1, 1, 1)  # the nested 'ere is not scored
    ref_all = Reference("a", TEXT, quotes=ref.quotes)
    assert score_story(s, ref_all)["quotes"] == PRF(1, 2, 1, 1)


def test_score_quote_errors_lists_what_went_wrong() -> None:
    errs = quote_errors(story(), reference())
    assert [(e["text"], e["gold"], e["predicted"], e["error"]) for e in errs] == [
        ('"No,"', "bo", "c1 -> ann", "speaker"),
        ('"Please?"', "ann", None, "undetected"),
        ("~never~", "bo", None, "undetected"),
    ]
