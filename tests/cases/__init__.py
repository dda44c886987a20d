"""Loading the golden case files (see README.md in this folder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).resolve().parent


def load_cases(name: str) -> list[Any]:
    """The cases of ``<name>.json`` as pytest params: id = label, ``expect: fail`` = strict xfail."""
    data = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    assert data["schema"] == "fabula-cases/1"
    return [
        pytest.param(
            case,
            id=case["label"],
            marks=[pytest.mark.xfail(strict=True, reason=case["comment"])] if case["expect"] == "fail" else [],
        )
        for case in data["cases"]
    ]
