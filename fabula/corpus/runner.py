"""Running a corpus job: stream the inputs, analyse them in parallel, commit parts as results come.

The driver (this process) is the only writer. It walks the inputs lazily, skips works the
ledger already holds with the same content, groups the rest into small batches and keeps a
bounded number of batches in flight on a process pool (``workers``), inline (``workers=0``)
or on a Dask distributed cluster (``scheduler="tcp://host:port"``). Results are buffered and
committed as one part every ``part_size`` works or ``commit_seconds`` seconds, so memory stays
flat however large the corpus, and a killed run loses at most the uncommitted buffer.

A batch whose worker died (a crash, the OOM killer) is retried one work at a time; a work
that kills its worker again is recorded as failed at stage ``worker``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as cf_wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fabula.corpus.errors import CorpusError
from fabula.corpus.inputs import STORY_SUFFIXES, check_inputs, is_url, iter_inputs
from fabula.corpus.store import Store
from fabula.corpus.tables import failure_rows, work_id
from fabula.corpus.work import WorkItem, WorkResult, analyze_batch
from fabula.errors import Errors

log = logging.getLogger("fabula.corpus")

#: Times a work is tried when its worker dies under it (a crash, the OOM killer) before it is recorded as failed.
MAX_ATTEMPTS = 3


@dataclass(slots=True)
class Progress:
    """Where a job stands; handed to the ``progress`` callback after every batch."""

    total: int
    done: int = 0
    failed: int = 0
    skipped: int = 0
    skipped_failed: int = 0
    words: int = 0
    cpu_seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)
    finished: bool = False

    @property
    def elapsed(self) -> float:
        """Seconds since the job started."""
        return time.monotonic() - self.started

    @property
    def words_per_second(self) -> float:
        """Words analysed per second in this run."""
        return self.words / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, estimated from the works done so far in this run (None before the first)."""
        left = self.total - self.done - self.skipped
        if self.done == 0:
            return None
        return left * self.elapsed / self.done


@dataclass(frozen=True, slots=True)
class CorpusReport:
    """The outcome of a job: counts for this run and the dataset's state for these inputs."""

    out: str
    total: int
    done: int
    failed: int
    skipped: int
    skipped_failed: int
    words: int
    seconds: float
    parts: int

    @property
    def failures(self) -> int:
        """Works of these inputs that failed, in this run or an earlier one."""
        return self.failed + self.skipped_failed


class _Executor:
    """A pool that runs :func:`analyze_batch` (local processes, inline, or Dask)."""

    def __init__(self, workers: int, scheduler: str | None, connect_timeout: float = 30.0) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self._client: Any = None
        self._pool: ProcessPoolExecutor | None = None
        if scheduler:
            try:
                from distributed import Client
            except ImportError as e:
                raise CorpusError(Errors.E708.format(package="dask[distributed]")) from e
            try:
                self._client = Client(scheduler, timeout=connect_timeout)
            except OSError as e:
                raise CorpusError(Errors.E709.format(address=scheduler, reason=str(e).splitlines()[0])) from e
        elif workers > 0:
            self._start_pool()
        self._slots = max(1, workers)
        self._slots_at = 0.0

    def slots(self) -> int:
        """Tasks that can run at once: the workers, or the cluster's threads now (it may grow or shrink)."""
        if self._client is not None and time.monotonic() - self._slots_at > 5.0:
            self._slots = max(1, sum(self._client.nthreads().values()))
            self._slots_at = time.monotonic()
        return self._slots

    def _start_pool(self) -> None:
        import multiprocessing as mp

        # forkserver: the driver holds threads (pyarrow, sqlite); forking it would be unsafe.
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["fabula.corpus.work", "fabula.corpus._warm"])
        self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx)

    def restart(self) -> None:
        """Replace the process pool if it is broken (a worker died)."""
        if self._pool is not None and getattr(self._pool, "_broken", False):
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._start_pool()

    def submit(self, batch: list[WorkItem]) -> Any:
        if self._client is not None:
            return self._client.submit(analyze_batch, batch, pure=False)
        if self._pool is not None:
            return self._pool.submit(analyze_batch, batch)
        f: Future[list[WorkResult]] = Future()
        try:
            f.set_result(analyze_batch(batch))
        except BaseException as e:
            f.set_exception(e)
        return f

    def wait_any(self, futures: Iterable[Any]) -> set[Any]:
        futures = list(futures)
        if self._client is not None:
            from distributed import wait

            done, _ = wait(futures, return_when="FIRST_COMPLETED")
            return set(done)
        done, _ = cf_wait(futures, return_when=FIRST_COMPLETED)
        return set(done)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._client is not None:
            self._client.close()


def _stat(key: str) -> tuple[int | None, int | None]:
    if is_url(key):
        return None, None
    try:
        st = os.stat(key)
    except OSError:
        return None, None
    return st.st_size, st.st_mtime_ns


def _sha256(key: str) -> str | None:
    h = hashlib.sha256()
    try:
        if is_url(key):
            import fsspec

            with fsspec.open(key, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
        else:
            with open(key, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
    except OSError:
        return None
    return h.hexdigest()


def run_corpus(
    inputs: Sequence[str],
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    part_size: int = 500,
    commit_seconds: float = 30.0,
    batch_bytes: int = 256_000,
    batch_works: int = 32,
    retry_failed: bool = False,
    progress: Callable[[Progress], None] | None = None,
) -> CorpusReport:
    """Analyse every work the ``inputs`` name into the Parquet dataset ``out``; resumable, exactly once.

    ``workers``: local processes (default: the cores; 0 runs inline); ``scheduler``: the address
    of a Dask distributed scheduler (then ``workers`` is ignored). Works already in ``out`` with
    the same content are skipped (failed ones too, unless ``retry_failed``).
    Raises :class:`~fabula.corpus.errors.CorpusError` for bad inputs or an output folder in use.
    """
    check_inputs(inputs)
    total = sum(1 for _ in iter_inputs(inputs))
    if total == 0:
        raise CorpusError(Errors.E703.format(inputs=list(inputs), suffixes=" ".join(sorted(STORY_SUFFIXES))))
    if workers is None:
        workers = os.cpu_count() or 1
    prog = Progress(total=total)
    store = Store.open(out)
    executor: _Executor | None = None
    parts = 0
    try:
        executor = _Executor(workers, scheduler)
        in_flight: dict[Any, tuple[list[WorkItem], int]] = {}
        busy: set[str] = set()  # keys submitted or buffered, not yet committed
        buffer: list[WorkResult] = []
        stats: dict[str, tuple[int | None, int | None]] = {}
        last_commit = time.monotonic()
        batch_works = min(batch_works, part_size)

        def commit() -> None:
            nonlocal buffer, last_commit, parts
            if buffer:
                store.commit(buffer, stats)
                parts += 1
                for r in buffer:
                    busy.discard(r.key)
                    stats.pop(r.key, None)
            buffer = []
            last_commit = time.monotonic()

        def collect(block: bool) -> None:
            """Take finished batches (waiting for one when ``block``) into the buffer."""
            if not in_flight:
                return
            finished = executor.wait_any(in_flight) if block else {f for f in in_flight if f.done()}
            for f in finished:
                batch, attempts = in_flight.pop(f)
                try:
                    results = f.result()
                except Exception as e:  # a worker died or the cluster lost the task
                    executor.restart()
                    if len(batch) > 1 or attempts < MAX_ATTEMPTS:
                        for it in batch:
                            in_flight[executor.submit([it])] = ([it], attempts + 1)
                        continue
                    it = batch[0]
                    rows = failure_rows(
                        work_id=work_id(it.key), key=it.key, sha256=None, size=it.size, stage="worker",
                        error=type(e).__name__, message=str(e).splitlines()[0] if str(e) else "the worker died",
                    )
                    results = [WorkResult(it.key, None, it.size, False, 0, rows, 0.0)]
                for r in results:
                    buffer.append(r)
                    prog.done += 1
                    prog.failed += 0 if r.ok else 1
                    prog.words += r.words
                    prog.cpu_seconds += r.cpu_seconds
                if progress is not None:
                    progress(prog)
            if len(buffer) >= part_size or (buffer and time.monotonic() - last_commit >= commit_seconds):
                commit()

        batch: list[WorkItem] = []
        batch_size = 0

        def submit() -> None:
            nonlocal batch, batch_size
            if batch:
                while len(in_flight) >= max(2, executor.slots() * 3):
                    collect(block=True)
                in_flight[executor.submit(batch)] = (batch, 1)
                batch, batch_size = [], 0

        for key in iter_inputs(inputs):
            if key in busy:
                prog.skipped += 1  # the same work named twice
                continue
            size, mtime = _stat(key)
            prior = store.done(key)
            if prior is not None and not (retry_failed and prior.status == "failed"):
                same = prior.size == size and prior.mtime_ns == mtime and mtime is not None
                if not same:
                    sha = _sha256(key)
                    same = sha is not None and sha == prior.sha256
                    if same:
                        store.touch(key, size, mtime)
                if same:
                    prog.skipped += 1
                    prog.skipped_failed += prior.status == "failed"
                    continue
            busy.add(key)
            stats[key] = (size, mtime)
            batch.append(WorkItem(key, size))
            batch_size += size or batch_bytes
            if batch_size >= batch_bytes or len(batch) >= batch_works:
                submit()
                collect(block=False)
        submit()
        while in_flight:
            collect(block=True)
        commit()
        prog.finished = True
        if progress is not None:
            progress(prog)
    finally:
        if executor is not None:
            executor.close()
        store.close()
    return CorpusReport(
        out=str(out), total=total, done=prog.done, failed=prog.failed, skipped=prog.skipped,
        skipped_failed=prog.skipped_failed, words=prog.words, seconds=prog.elapsed, parts=parts,
    )
