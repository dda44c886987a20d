"""The public API's typed errors: analyze() and read() refuse bad arguments with coded messages (issue 2)."""

from __future__ import annotations

import pytest

import fabula
from fabula.errors import Errors, FabulaError, InputTypeError, ReaderError, SpanError
from fabula.model import Paragraph, Story


@pytest.mark.issue(2)
@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \n"])
def test_api_analyze_refuses_empty_text(text):
    with pytest.raises(ReaderError, match=r"^\[E110\] The text given to analyze\(\) is empty"):
        fabula.analyze(text)


@pytest.mark.issue(2)
@pytest.mark.parametrize(
    ("value", "type_name"), [(b"bytes", "bytes"), (None, "NoneType"), (42, "int"), (["a"], "list")]
)
def test_api_analyze_refuses_non_str(value, type_name):
    message = rf"^\[E111\] analyze\(\) takes a str, not {type_name}\. Decode bytes first"
    with pytest.raises(InputTypeError, match=message):
        fabula.analyze(value)


def test_api_type_errors_are_also_type_errors():
    with pytest.raises(TypeError):
        fabula.analyze(b"x")
    assert issubclass(InputTypeError, FabulaError)


@pytest.mark.parametrize("value", [42, None, b"story.txt"])
def test_api_read_refuses_what_is_not_a_path(value):
    with pytest.raises(InputTypeError, match=r"^\[E115\] read\(\) takes a path"):
        fabula.read(value)


def test_api_read_missing_file(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(ReaderError, match=r"^\[E101\] No such file: '.*nope\.txt'\. Check the path"):
        fabula.read(missing)


def test_api_read_folder(tmp_path):
    with pytest.raises(ReaderError, match=r"^\[E102\] .* is a folder, not a story file"):
        fabula.read(tmp_path)


def test_api_read_path_with_nul_byte():
    with pytest.raises(ReaderError, match=r"^\[E107\] Cannot read"):
        fabula.read("bad\x00name.txt")


def test_api_read_device_is_refused():
    with pytest.raises(ReaderError, match=r"^\[E107\] .*device or a socket"):
        fabula.read("/dev/null")


def test_api_read_file_over_the_size_cap(tmp_path):
    from fabula.readers import read_file

    p = tmp_path / "big.txt"
    p.write_text("word " * 100, encoding="utf-8")
    with pytest.raises(ReaderError, match=r"^\[E106\] .* is 500 bytes, over the limit of 100 bytes"):
        read_file(p, max_bytes=100)


def test_api_span_outside_text_is_refused():
    with pytest.raises(SpanError, match=r"^\[E050\] Span \[0, 9\) of layer 'paragraphs' does not fit a text of 3"):
        Story(text="abc").with_layer("paragraphs", [Paragraph(0, 9)], stage="test")


def test_api_error_messages_carry_their_codes():
    assert Errors.E110.startswith("[E110] ")
    assert Errors.E053.format(schema="x").startswith("[E053] ")


def test_api_analyze_returns_an_analysed_story():
    story = fabula.analyze('"Stay," she said.\r\n')
    assert story.text == '"Stay," she said.\n'
    assert [story.span_text(q) for q in story.layer("quotes")] == ['"Stay,"']
    assert story.tokens is not None and len(story.tokens) > 0
