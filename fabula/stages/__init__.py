"""fabula's built-in stages; importing this package registers them."""

from fabula.stages import quotes, segment, structure  # noqa: F401
from fabula.stages import dialect, spelling  # noqa: F401  (issue 6)
from fabula.stages import canon  # noqa: F401  (issue 5; registered, not in the default pipeline until "characters" is)
