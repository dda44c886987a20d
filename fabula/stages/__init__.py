"""fabula's built-in stages; importing this package registers them."""

from fabula.stages import (  # noqa: F401  # noqa: F401  (issue 6)
    canon,
    characters,
    dialect,  # issue 6
    feedback,  # issue 6
    mood,  # issue 6
    pov,  # issue 6
    quotes,
    segment,
    speakers,  # issue 4
    spelling,  # issue 6
    structure,
)
