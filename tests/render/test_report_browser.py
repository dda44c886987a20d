"""The report in a real browser (issue 6): headless Chromium driven by Playwright.

Needs Debian's ``chromium`` package (``apt-get install -y chromium``) and the ``playwright``
Python package; it never downloads a browser (no ``playwright install``). Skips with a reason
when either is missing. Screenshots go to tests/artifacts/.
"""

import shutil
from pathlib import Path

import pytest

import fabula
from fabula.render.html import render_report

from ..conftest import ROOT
from .test_report import XSS, example_path, report_pipeline

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"

# A story whose text tries to run script in every way a careless report would let it.
ATTACK = XSS + (
    '\n\nShe read on: <script>window.__xss = true</script> and <img src=x onerror="window.__xss=true">'
    ' and "<iframe src=javascript:window.__xss=true>", Tom said.'
)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, tmp_path, story, name, width=1000):
    path = tmp_path / f"{name}.html"
    path.write_text(render_report(story), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"dialogs": [], "errors": [], "requests": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.add_init_script("window.__xss = false;")
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, seen


@pytest.mark.issue(6)
def test_report_browser_example(browser, tmp_path):
    story = fabula.read(example_path(), pipeline=report_pipeline())
    page, seen = _open(browser, tmp_path, story, "example")
    quotes = [q for q in story.layer("quotes")]
    assert page.locator("article .q[id^='q-']").count() == len(quotes)
    assert page.locator("article .q.thought[id^='q-']").count() == sum(q.kind == "thought" for q in quotes)
    attributed = [q for q in quotes if q.speaker]
    speakers = page.eval_on_selector_all("article .q[id^='q-']", "els => els.map(e => e.dataset.speaker)")
    assert sum(1 for s in speakers if s) == len(attributed)
    assert page.locator(".card").count() == len(story.characters)
    assert page.locator("#network svg, #network .note").count() == 1
    assert page.locator("#arc svg polyline").count() == 2
    assert page.locator(".fb-list li").count() == len(story.layer("feedback"))
    if attributed:
        first = page.locator("article .q[data-speaker]:not([data-speaker=''])").first
        first.hover()
        tip = page.locator("#tip")
        assert tip.is_visible()
        assert first.get_attribute("data-speaker") in tip.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-example.png"), full_page=True)
    assert not seen["errors"] and not seen["dialogs"]
    assert all(u.startswith(("file:", "data:", "about:")) for u in seen["requests"]), seen["requests"]


@pytest.mark.issue(6)
def test_report_browser_runs_no_script_from_the_story(browser, tmp_path):
    page, seen = _open(browser, tmp_path, fabula.analyze(ATTACK), "attack")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is False
    assert seen["dialogs"] == []
    assert page.locator("article script, article img, article iframe, article svg").count() == 0
    text = page.locator("article").inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert not seen["errors"]


@pytest.mark.issue(6)
def test_report_browser_reads_at_phone_width(browser, tmp_path):
    story = fabula.read(example_path(), pipeline=report_pipeline())
    page, _seen = _open(browser, tmp_path, story, "phone", width=375)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than a phone screen"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"))
