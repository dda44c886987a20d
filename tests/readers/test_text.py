"""The plain-text / Markdown reader: line ends, mojibake, hard wraps, offsets back to the source (issue 2)."""

from __future__ import annotations

import textwrap
import time

import pytest

from fabula.offsets import unchanged_runs
from fabula.readers import Format, read_bytes, read_file
from fabula.readers.text import fix_mojibake, is_hard_wrapped, text_story, unwrap, wrap_width

from ..conftest import LITBANK, SAMPLES, SEED, need

# Original prose, written for these tests.
PARAGRAPHS = [
    "The lamps along the harbour wall came on one by one, and Wren counted them the way her "
    "grandmother had taught her, touching each with a glance before she let herself look at the sea.",
    '"You\'re late," said Tomas, not looking up from the nets. "The tide won\'t wait for anyone, '
    'least of all for an apprentice who sleeps through the bells."',
    "She did not answer him. The boats were already turning their bows towards the channel, "
    "their sails grey against a sky that had not decided whether it would rain, and somewhere "
    "beyond the breakwater a gull was complaining about the weather in a voice like a rusty hinge.",
    "~I could just go home,~ she thought. ~Nobody would notice until supper.~",
    "But she picked up the lantern anyway, and the weight of it in her hand felt like a promise "
    "she had made a long time ago and had only now remembered.",
]


def wrapped(paras: list[str], width: int, sep: str = "\n\n") -> str:
    return sep.join(textwrap.fill(p, width) for p in paras)


def assert_maps_back(story, source: str) -> None:
    """Every stretch the reader left alone is identical in text and source; the map is well formed."""
    m = story.source.offsets
    assert m.check(len(story.text), len(source))
    for start, end, src in unchanged_runs(m, len(story.text)):
        assert story.text[start:end] == source[src : src + end - start]


# ---------------------------------------------------------------------------------------- line ends


@pytest.mark.issue(2)
@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_text_line_ends_become_lf_and_map_back(eol):
    source = eol.join(["First line.", "", "Second line.", "Third."])
    story = text_story(source)
    assert story.text == "First line.\n\nSecond line.\nThird."
    assert any("line ends" in r for r in story.source.repairs)
    i = story.text.index("Third")
    assert source[story.source.offsets.to_source(i) :].startswith("Third")
    assert_maps_back(story, source)


def test_text_lf_only_text_is_left_untouched():
    source = "\n\n".join(PARAGRAPHS)
    story = text_story(source)
    assert story.text == source
    assert story.source.offsets.edits == ()
    assert story.source.repairs == ()


def test_text_bom_is_removed_and_mapped():
    story = text_story("\ufeffHello.")
    assert story.text == "Hello."
    assert story.source.offsets.to_source(0) == 1
    assert story.source.repairs[0] == "byte-order mark removed"


# ---------------------------------------------------------------------------------------- mojibake


@pytest.mark.issue(2)
def test_text_mojibake_is_repaired_recorded_and_mapped():
    clean = "\u201cIt\u2019s the caf\u00e9,\u201d she said.\nNothing else changed here."
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)

    broken = clean.encode("utf-8").decode("sloppy-windows-1252")  # what a cp1252 editor made of it
    assert "\u00e2\u20ac\u2122" in broken
    story = text_story(broken)
    assert story.text == clean
    assert any(r.startswith("mojibake repaired in 1 line") for r in story.source.repairs)
    i = story.text.index("caf\u00e9") + 3  # the é
    s, e = story.source.offsets.to_source_span(i, i + 1)
    assert broken[s:e] == "\u00c3\u00a9"
    assert_maps_back(story, broken)


def test_text_mojibake_fix_keeps_curly_quotes():
    text = "\u201cWell,\u201d he said, \u2018quite so.\u2019 Itâ€™s late."
    fixed, _, n, _ = fix_mojibake(text)
    assert fixed == "\u201cWell,\u201d he said, \u2018quite so.\u2019 It\u2019s late."
    assert n == 1


@pytest.mark.parametrize(
    "text",
    ["na\u00efve fa\u00e7ade", "Caf\u00e9\u2019s sign", "\u00c9l\u00e9onore \u00e0 Paris", "Zażółć gęślą jaźń"],
)
def test_text_clean_accented_text_is_not_repaired(text):
    fixed, m, n, _ = fix_mojibake(text)
    assert (fixed, n, m.edits) == (text, 0, ())


# ---------------------------------------------------------------------------------------- hard wraps


def test_text_is_hard_wrapped_doctest_case():
    assert is_hard_wrapped(("word " * 15 + "\n") * 10)


@pytest.mark.issue(2)
@pytest.mark.parametrize("width", [78, 70, 60])
def test_text_hard_wrapped_paragraphs_are_joined(width):
    source = wrapped(PARAGRAPHS * 2, width)
    story = text_story(source)
    assert story.text == "\n\n".join(PARAGRAPHS * 2)
    assert any("hard-wrapped" in r for r in story.source.repairs)
    assert_maps_back(story, source)


def test_text_hard_wrapped_crlf_text_maps_back_to_the_file():
    source = wrapped(PARAGRAPHS, 78).replace("\n", "\r\n")
    story = text_story(source)
    assert story.text == "\n\n".join(PARAGRAPHS)
    assert_maps_back(story, source)
    # a word after a joined wrap maps to that word in the file
    i = story.text.index("beyond the breakwater")
    assert source[story.source.offsets.to_source(i) :].startswith("beyond")


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_text_one_line_per_paragraph_is_not_unwrapped(sep):
    source = sep.join(PARAGRAPHS * 3)
    assert wrap_width(source) is None
    assert text_story(source).text == source


def test_text_short_dialogue_lines_are_not_joined():
    source = '"Yes."\n"No."\n"Why not?"\n"Because the tide is turning."\n"Fine."\n'
    assert text_story(source).text == source


def test_text_header_lines_and_markdown_breaks_stay_apart():
    header = "Title: The Lamplighter\nAuthor: Someone\nRating: General Audiences\nWords: 1,234"
    body = wrapped(PARAGRAPHS, 72)
    source = header + "\n\n" + body + "\n\nA line with a hard break  \nand the next line."
    story = text_story(source)
    assert story.text.startswith(header + "\n\n" + PARAGRAPHS[0])
    assert story.text.endswith("A line with a hard break  \nand the next line.")


def test_text_hyphen_at_a_wrap_joins_without_a_space():
    text, m = unwrap("She walked along the sea-\nwall until the lamps came on in the town.\n\nEnd.", 26)
    assert text.startswith("She walked along the sea-wall until")
    assert m.to_source(len("She walked along the sea-w")) == len("She walked along the sea-\nw")


def test_text_indented_paragraphs_are_not_joined():
    lines = [ln for p in PARAGRAPHS for ln in ("    " + textwrap.fill(p, 70)).split("\n")]
    source = "\n".join(lines)
    story = text_story(source)
    assert len([ln for ln in story.text.split("\n") if ln.strip()]) == len(PARAGRAPHS)


@pytest.mark.issue(2)
def test_text_fanficfare_sample_is_unwrapped_at_78():
    # (fabula.readers.fanficfare reads these files; this checks the plain-text layer beneath it)
    path = need(SAMPLES / "fanficfare" / "Test_Story_Title_1-tst1_1.txt")
    raw = path.read_bytes().decode("utf-8")
    story = text_story(raw)
    assert "width 78" in " ".join(story.source.repairs)
    lines = story.text.split("\n")
    # header lines stay one per line; a wrapped header value is joined
    assert any(ln.startswith("Genre: ") for ln in lines)
    assert any(ln.startswith("Category: ") and "(TV), Puella" in ln for ln in lines)
    assert "\r" not in story.text
    assert_maps_back(story, raw)


@pytest.mark.issue(2)
def test_text_seed_story_is_read_unchanged():
    path = need(SEED / "story.txt")
    story = read_file(path)
    assert story.text == path.read_text(encoding="utf-8")
    assert story.source.offsets.edits == ()


@pytest.mark.parametrize("name", ["105_persuasion", "2489_moby_dick", "27_far_from_the_madding_crowd"])
def test_text_gutenberg_wrapping_is_joined(name):
    path = need(LITBANK / "original" / f"{name}.txt")
    story = read_file(path)
    raw = path.read_text(encoding="utf-8")
    assert any("hard-wrapped" in r for r in story.source.repairs)
    paras = [ln for ln in story.text.split("\n") if ln.strip()]
    raw_lines = [ln for ln in raw.split("\n") if ln.strip()]
    assert len(paras) < len(raw_lines) / 3
    assert_maps_back(story, raw)


# ---------------------------------------------------------------------------------------- Markdown


def test_text_markdown_emphasis_is_kept(tmp_path):
    p = tmp_path / "story.md"
    p.write_text("# One\n\n*I should not be here,* she thought. _Not at all._\n", encoding="utf-8")
    story = read_file(p)
    assert story.source.format == Format.MARKDOWN.value
    assert "*I should not be here,* she thought. _Not at all._" in story.text


# ---------------------------------------------------------------------------------------- speed


def test_text_reader_is_fast_on_megabytes():
    source = wrapped(PARAGRAPHS, 78).replace("\n", "\r\n")
    source = "\r\n\r\n".join([source] * 1500)  # about 1.7 MB, CRLF and hard-wrapped
    t0 = time.process_time()
    story = read_bytes(source.encode("utf-8"), "big.txt")
    elapsed = time.process_time() - t0
    assert story.text.count("\n\n") == len(PARAGRAPHS) * 1500 - 1
    assert elapsed < 3.0, f"reading {len(source):,} characters took {elapsed:.2f}s of CPU"


def test_text_lines_of_one_length_that_end_sentences_are_paragraphs():
    line = "The caf\u00e9 was closed. \u201cNever mind,\u201d she said."
    source = "\n".join([line] * 3 + ["Wren sat down on the step and waited."])
    assert wrap_width(source) is None
    assert text_story(source).text == source
