"""The ``characters`` stage: who is in the story, under every name they go by (issue 3).

It assigns ``story.characters`` (:class:`~fabula.model.Character`: id, display name, aliases
with counts, pronouns, first appearance, mention count, whether only mentioned) and the
``mentions`` layer (:class:`~fabula.model.Mention` spans of kind ``proper``, ``title``,
``nominal`` or ``pronoun``, each with its character id or None). The reasoning lives in
:mod:`fabula.characters`; the mention model is trained on LitBank (see NOTICE) and ships in
``fabula/data/mentions.json``, retrained by ``python -m train.mentions``.

>>> from fabula import analyze
>>> s = analyze('Mira Vell opened the door. "Hello, Tomas," she said. Tomas smiled at her.')
>>> [(c.name, c.pronouns) for c in s.characters]
[('Mira Vell', 'she'), ('Tomas', 'unknown')]
>>> resolve_at(s, s.text.index("she"))
'mira-vell'
"""

from __future__ import annotations

import bisect

from fabula.characters.resolve import analyse_characters
from fabula.model import Mention, Story
from fabula.pipeline import stage


@stage("characters", requires=("paragraphs", "sentences", "quotes"), assigns=("characters", "mentions"))
def characters(story: Story) -> Story:
    """Find the story's characters and their mentions."""
    chars, mentions = analyse_characters(story)
    story = story.with_layer("mentions", mentions, stage="characters")
    return story.with_characters(chars, stage="characters")


def resolve_at(story: Story, offset: int) -> str | None:
    """The character id of the mention covering character ``offset`` (None when none does).

    For the speakers stage: ``resolve_at(story, tag_pronoun_start)`` tells who ``he`` is.
    """
    layer = story.layer("mentions")
    starts = [m.start_char for m in layer]
    i = bisect.bisect_right(starts, offset) - 1
    while i >= 0:
        m = layer[i]
        if isinstance(m, Mention) and m.start_char <= offset < m.end_char:
            return m.character
        if m.end_char <= offset and layer[i].start_char < offset - 200:
            break
        i -= 1
    return None
