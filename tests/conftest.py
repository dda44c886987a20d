"""Shared fixtures: where ../shared is, and small hand-built stories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FABULA_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "corpus" / "seed"
LITBANK = SHARED / "litbank-dev"
SAMPLES = SHARED / "formats" / "samples"
EXAMPLES = ROOT / "examples"


# CI runs the property tests with a fixed sequence of examples (derandomised) and no per-example
# deadline, so that a run is repeatable and a slow, shared machine cannot fail it by timing;
# locally, hypothesis explores new examples on every run.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def need(path: Path) -> Path:
    """Skip the test, with a reason, when a file from ../shared is absent."""
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside the project); this test reads it from there")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="run slow tests too")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow") or os.environ.get("FABULA_SLOW"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow or FABULA_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return need(SEED / "story.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_gold() -> dict:
    import json

    return json.loads(need(SEED / "gold.json").read_text(encoding="utf-8"))
