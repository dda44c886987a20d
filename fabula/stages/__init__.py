"""fabula's built-in stages; importing this package registers them."""

from fabula.stages import quotes, segment, structure  # noqa: F401
