"""Imported once by the worker pool's fork server so that every worker starts warm.

Loading spaCy's tokenizer and compiling the stages' patterns here, before the fork, means each
worker process inherits them instead of paying for them again. A failure here must not stop
the fork server, so it is ignored (the workers then warm up on their first work).
"""

from __future__ import annotations

import contextlib

with contextlib.suppress(Exception):
    import fabula

    fabula.analyze('Warm up. "Is it warm?" she asked.')
