"""Stages and pipelines.

A stage is a function ``Story -> Story`` registered by name with the layers it
``requires`` and ``assigns``. A :class:`Pipeline` is an ordered list of stage names; it
checks before running that every stage's requirements are met by an earlier stage or by
the reader, and that each stage returns a Story.

>>> @stage("shout", requires=("paragraphs",), assigns=("shouts",))
... def shout(story: Story) -> Story:
...     return story
>>> Pipeline(["shout"]).missing(available=())
{'shout': ['paragraphs']}
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from fabula._gc import collector_paused
from fabula.errors import Errors, PipelineError
from fabula.model import Story

log = logging.getLogger("fabula")

StageFunc = Callable[[Story], Story]


@dataclass(frozen=True, slots=True)
class StageInfo:
    """A registered stage: its function and the layers it needs and makes."""

    name: str
    func: StageFunc
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    version: str


_REGISTRY: dict[str, StageInfo] = {}


def stage(
    name: str, *, requires: Sequence[str] = (), assigns: Sequence[str] = (), version: str = "1"
) -> Callable[[StageFunc], StageFunc]:
    """Register ``func`` as the stage ``name``."""

    def register(func: StageFunc) -> StageFunc:
        _REGISTRY[name] = StageInfo(name, func, tuple(requires), tuple(assigns), version)
        return func

    return register


def get_stage(name: str) -> StageInfo:
    """The registered stage ``name``; raises :class:`PipelineError` listing the others."""
    _load_builtin_stages()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise PipelineError(Errors.E001.format(name=name, opts=", ".join(sorted(_REGISTRY)))) from None


def registered_stages() -> list[str]:
    """Names of all registered stages."""
    _load_builtin_stages()
    return sorted(_REGISTRY)


def _load_builtin_stages() -> None:
    # Importing the modules registers their stages.
    import fabula.stages  # noqa: F401


class Pipeline:
    """An ordered list of named stages.

    >>> p = default_pipeline()
    >>> p.names[:3]
    ['paragraphs', 'structure', 'sentences']
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names: list[str] = []
        for n in names:
            self.add(n, last=True)

    def add(
        self,
        name: str,
        *,
        before: str | None = None,
        after: str | None = None,
        first: bool = False,
        last: bool = False,
    ) -> Pipeline:
        """Insert a stage; give at most one of ``before``, ``after``, ``first``, ``last`` (default last)."""
        get_stage(name)
        given = [k for k, v in (("before", before), ("after", after), ("first", first), ("last", last)) if v]
        if len(given) > 1:
            raise PipelineError(Errors.E004.format(name=name, given=", ".join(given)))
        if name in self.names:
            raise PipelineError(Errors.E005.format(name=name, names=self.names))
        if before is not None:
            self.names.insert(self._index(before), name)
        elif after is not None:
            self.names.insert(self._index(after) + 1, name)
        elif first:
            self.names.insert(0, name)
        else:
            self.names.append(name)
        return self

    def remove(self, name: str) -> Pipeline:
        """Drop a stage."""
        self.names.pop(self._index(name))
        return self

    def _index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise PipelineError(Errors.E001.format(name=name, opts=", ".join(self.names))) from None

    def missing(self, available: Iterable[str]) -> dict[str, list[str]]:
        """For each stage, the required layers that nothing before it provides."""
        have = set(available)
        out: dict[str, list[str]] = {}
        for n in self.names:
            info = get_stage(n)
            lack = [r for r in info.requires if r not in have]
            if lack:
                out[n] = lack
            have.update(info.assigns)
        return out

    def check(self, story: Story) -> None:
        """Raise :class:`PipelineError` when a stage would run without what it needs."""
        available = [*story.layers, *(["tokens"] if story.tokens is not None else [])]
        available += ["text", "metadata"]
        if story.has("characters"):
            available.append("characters")
        for n, lack in self.missing(available).items():
            raise PipelineError(
                Errors.E002.format(name=n, missing=lack, available=sorted(set(available)))
            )

    def __call__(self, story: Story) -> Story:
        """Run every stage in order."""
        self.check(story)
        with collector_paused():  # full GC passes cost ~15% on long stories and free nothing
            for n in self.names:
                info = get_stage(n)
                t0 = time.perf_counter()
                out = info.func(story)
                if not isinstance(out, Story):
                    raise PipelineError(Errors.E003.format(name=n, type=type(out).__name__))
                story = out
                log.debug("stage %s took %.4fs", n, time.perf_counter() - t0)
        return story


#: The stages of the default pipeline, in order.
DEFAULT_STAGES: tuple[str, ...] = (
    "paragraphs",
    "structure",
    "sentences",
    "tokens",
    "quotes",
    "characters",  # issue 3
    "pov",  # issue 6: before "speakers", which gives unmarked thoughts to the POV character
    "speakers",  # issue 4
    "canon",  # issue 5: AO3 Characters / Relationships tags name clusters and are checked
    # issue 6 (after "speakers"): voice normalisation, spelling, mood, feedback
    "dialect",
    "spelling",
    "mood",
    "feedback",
)


def default_pipeline() -> Pipeline:
    """The pipeline :func:`fabula.analyze` runs."""
    return Pipeline(DEFAULT_STAGES)
