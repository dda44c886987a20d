"""Shared helpers for the reader tests: the fixture folder, the CLI in a subprocess, invariants."""

from __future__ import annotations

import itertools
import resource
import subprocess
import sys
from pathlib import Path

from fabula.model import Story

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "formats"
ROOT = Path(__file__).resolve().parent.parent.parent


def fixture(name: str) -> Path:
    """A file in tests/fixtures/formats (written by tests/fixtures/make_formats.py)."""
    return FIXTURES / name


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    cap = 1536 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def run_cli(*args: str, timeout: float = 60, limit_memory: bool = False) -> subprocess.CompletedProcess[str]:
    """``python -m fabula ARGS``; with ``limit_memory``, in 1.5 GiB of address space at most."""
    return subprocess.run(
        [sys.executable, "-m", "fabula", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        preexec_fn=_limit_memory if limit_memory else None,
        check=False,
    )


def check_invariants(story: Story) -> None:
    """Every span fits the text; paragraphs do not overlap; the JSON round-trips."""
    n = len(story.text)
    for name, spans in story.layers.items():
        for s in spans:
            assert 0 <= s.start_char <= s.end_char <= n, name
    paras = story.layer("paragraphs")
    for a, b in itertools.pairwise(paras):
        assert a.end_char <= b.start_char
        assert story.text[a.end_char : b.start_char].strip() == ""
    for p in paras:
        t = story.span_text(p)
        assert t == t.strip() and "\n" not in t and t
    assert story.source.offsets.check(n)
    assert Story.from_json(story.to_json()) == story


def story_texts(story: Story) -> list[str]:
    """The story paragraphs' text."""
    return [story.span_text(p) for p in story.story_paragraphs()]
