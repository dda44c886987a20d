"""The HTML report (issue 6): self-contained, escaped, complete, small."""

import re
from html.parser import HTMLParser

import pytest

import fabula
from fabula.pipeline import DEFAULT_STAGES, Pipeline, registered_stages
from fabula.render.html import render_report

from ..conftest import EXAMPLES, SEED, need

FIXTURE = __import__("pathlib").Path(__file__).parent / "fixtures" / "the-night-ferry.md"
XSS = (
    "Mara found a note on the door.\n\n"
    "It said <script>alert(1)</script> and then <img src=x onerror=alert(1)> in a child's hand.\n\n"
    '"What is <b>this</b>?" she asked. "A trick, \\" & \' <svg onload=alert(2)>," said Tom.\n\n'
    "~<script>alert(3)</script> is not a thought I like.~"
)


def report_pipeline() -> Pipeline:
    """The default pipeline, with attribution when it is registered but not yet in the default."""
    names = list(DEFAULT_STAGES)
    if "speakers" in registered_stages() and "speakers" not in names:
        names.insert(names.index("dialect") if "dialect" in names else len(names), "speakers")
    return Pipeline(names)


def example_path():
    path = EXAMPLES / "the-lamplighters-apprentice.md"
    return path if path.exists() else FIXTURE


class _Checker(HTMLParser):
    """Collects tags, checks nesting, and notes anything that would reach outside the page."""

    VOID = frozenset(
        {"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}
    )

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.external, self.scripts = [], [], [], [], 0
        self.article: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        for k, v in attrs:
            if k in ("src", "href", "action", "xlink:href") and v and re.match(r"^\s*(?:https?:|//)", v):
                self.external.append(v)
            if k.startswith("on"):
                self.errors.append(f"event handler attribute {k} on <{tag}>")
        if tag == "script":
            self.scripts += 1
        if tag in ("link", "iframe", "object", "embed", "img"):
            self.errors.append(f"<{tag}> in a self-contained report")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_data(self, data):
        if "article" in self.stack:
            self.article.append(data)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def check_page(page: str) -> _Checker:
    c = _Checker()
    c.feed(page)
    c.close()
    assert not c.errors, c.errors[:5]
    assert not c.stack, c.stack
    assert not c.external, c.external
    assert c.scripts == 1
    return c


@pytest.fixture(scope="module")
def seed_page():
    return render_report(fabula.read(need(SEED / "story.txt"), pipeline=report_pipeline()))


@pytest.mark.issue(6)
def test_report_seed_is_a_valid_self_contained_page(seed_page):
    c = check_page(seed_page)
    quotes = [a for t, a in c.tags if t == "span" and a.get("id", "").startswith("q-")]
    assert len(quotes) == 12
    assert sum("thought" in a["class"] for a in quotes) == 2
    assert '<meta name="viewport"' in seed_page
    assert "Content-Security-Policy" in seed_page
    assert "head-hop" in seed_page and "hesistated" in seed_page


def test_report_seed_quotes_carry_speaker_evidence(seed_page):
    if "speakers" not in registered_stages():
        pytest.skip("the speakers stage (issue 4) is not registered yet")
    c = check_page(seed_page)
    quotes = [a for t, a in c.tags if t == "span" and a.get("id", "").startswith("q-")]
    assert all(a["data-speaker"] for a in quotes)
    assert all(a["data-method"] for a in quotes)
    assert any("Gin" in a["data-speaker"] for a in quotes) and any("Kira" in a["data-speaker"] for a in quotes)


@pytest.mark.issue(6)
def test_report_escapes_story_text():
    story = fabula.analyze(XSS)
    page = render_report(story)
    c = check_page(page)
    body = page.split("<body>", 1)[1]
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>this</b>"):
        assert raw not in body, raw
    # the reader sees the story's own characters, markup and all
    shown = "".join(c.article)
    for p in story.story_paragraphs():
        assert story.span_text(p) in shown


def test_report_paratext_is_folded_and_scene_breaks_drawn():
    page = render_report(fabula.read(FIXTURE, pipeline=report_pipeline()))
    check_page(page)
    assert re.search(r'<details class="paratext"><summary>Author', page)
    assert page.count('<hr class="scene-break"') == 1


def test_report_without_analysis_layers_degrades():
    page = render_report(fabula.load(FIXTURE))
    check_page(page)
    assert "mood stage did not run" in page


@pytest.mark.issue(6)
def test_report_of_a_10000_word_story_is_under_1_mb():
    base = example_path().read_text(encoding="utf-8")
    n = len(base.split())
    text = "\n\n* * *\n\n".join([base] * (10_000 // n + 1))
    page = render_report(fabula.analyze(text, pipeline=report_pipeline()))
    assert len(text.split()) >= 10_000
    assert len(page.encode("utf-8")) < 1_000_000


def test_report_nest_keeps_spans_nested_and_splits_crossing_ones():
    from fabula.render.html import _Inline, _nest

    text = "abcdefgh"
    q = _Inline(0, 6, '<q id="x">', "</q>", 1)
    n = _Inline(1, 3, "<n>", "</n>", 3)
    cross = _Inline(4, 8, "<m>", "</m>", 2)
    assert _nest(text, 0, 8, [q, n]) == '<q id="x">a<n>bc</n>def</q>gh'
    assert _nest(text, 0, 8, [q, n, cross]) == '<q id="x">a<n>bc</n>d<m>ef</m></q><m>gh</m>'
    assert _nest("<&>", 0, 3, []) == "&lt;&amp;&gt;"
