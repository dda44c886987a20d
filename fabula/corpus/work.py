"""What a worker does with one work: read it, run the pipeline stage by stage, turn it into rows.

Runs in worker processes (local or on a Dask cluster); it never raises for a bad work: any
failure becomes a ``failed`` works row and an ``errors`` row naming the stage that failed
(``read``, a pipeline stage, or ``rows``).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "s.txt"
>>> _ = p.write_text('"Go," she said.')
>>> r = analyze_work(WorkItem(str(p)))
>>> r.ok, r.rows["quotes"][0]["text"]
(True, '"Go,"')
"""

from __future__ import annotations

import hashlib
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from fabula.corpus.inputs import is_url
from fabula.corpus.tables import Rows, failure_rows, story_rows, work_id
from fabula.errors import Errors, ReaderError


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A work to analyse: its key (absolute path or URL) and, when known, its size in bytes."""

    key: str
    size: int | None = None


@dataclass(frozen=True, slots=True)
class WorkResult:
    """What a worker sends back for one work."""

    key: str
    sha256: str | None
    size: int | None
    ok: bool
    words: int
    rows: Rows
    seconds: float
    cpu_seconds: float = 0.0


def _read_raw(key: str) -> bytes:
    from fabula.readers import MAX_BYTES

    if is_url(key):
        import fsspec

        with fsspec.open(key, "rb") as fh:
            return bytes(fh.read(MAX_BYTES + 1))
    p = Path(key)
    if not p.exists():
        raise ReaderError(Errors.E101.format(path=key))
    if p.is_dir():
        raise ReaderError(Errors.E102.format(path=key))
    size = p.stat().st_size
    if size > MAX_BYTES:
        raise ReaderError(Errors.E106.format(path=key, size=size, limit=MAX_BYTES))
    return p.read_bytes()


def analyze_work(item: WorkItem) -> WorkResult:
    """Analyse one work; never raises for a bad work."""
    from fabula.pipeline import default_pipeline, get_stage
    from fabula.readers import read_bytes

    t0 = time.perf_counter()
    c0 = time.process_time()
    wid = work_id(item.key)
    sha: str | None = None
    size = item.size
    stage = "read"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            raw = _read_raw(item.key)
            sha = hashlib.sha256(raw).hexdigest()
            size = len(raw)
            story = read_bytes(raw, item.key)
            del raw
            pipeline = default_pipeline()
            stage = "pipeline"
            pipeline.check(story)
            for name in pipeline.names:
                stage = name
                story = get_stage(name).func(story)
            stage = "rows"
            rows = story_rows(story, work_id=wid, key=item.key, sha256=sha, size=size)
    except Exception as e:  # a failing work must never stop the run (issue 7)
        msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        rows = failure_rows(
            work_id=wid, key=item.key, sha256=sha, size=size, stage=stage, error=type(e).__name__, message=msg
        )
        return WorkResult(
            item.key, sha, size, False, 0, rows, time.perf_counter() - t0, time.process_time() - c0
        )
    words = int(rows["works"][0]["words"] or 0)
    return WorkResult(item.key, sha, size, True, words, rows, time.perf_counter() - t0, time.process_time() - c0)


def analyze_batch(items: list[WorkItem]) -> list[WorkResult]:
    """Analyse several works in one task (fewer round trips for short works)."""
    return [analyze_work(it) for it in items]
