"""The bundled example story: every quote, thought, scene break and paratext is found (issue 2).

The README's first command runs ``fabula read`` on this file, so it must show every
convention fabula handles; this test pins exactly what fabula finds in it.
"""

from __future__ import annotations

import pytest

import fabula
from fabula.model import Quote

from ..conftest import EXAMPLES

EXAMPLE = EXAMPLES / "the-lamplighters-apprentice.md"

QUOTES = [
    ("speech", '"You\'ll want to be quicker than that,"'),
    ("speech", '"The fog doesn\'t wait for anybody."'),
    ("speech", '"I\'m going as fast as I can."'),
    ("speech", '"Then go faster."'),
    ("speech", '"If I go any faster I\'ll fall."'),
    ("speech", '"Then fall quickly and get up again."'),
    ("thought", "~Nine days, and he still thinks I'll drop the pole.~"),
    ("thought", "*Don't look down. Don't you dare look down.*"),
    ("speech", '"Never let the flame go out before the fog does."'),
    (
        "speech",
        ("\"Evenin', Sparrow. Ya gonna light 'em all tonight, or jus' the ones what don't scare ya?\""),
    ),
    ("speech", '"All of them, Pip."'),
    ("speech", "\"Tha's a lot o' lamps for a little bird.\""),
    ("speech", '"Old Crow tell ya \'bout the Captain yet?"'),
    ("speech", '"What about the Captain?"'),
    ("speech", "\"Nothin'. Only she's lookin' for somebody. Ya didn't hear it from me.\""),
    ("thought", "*She's better than I was at her age,*"),
    ("thought", "*Better than I am now, some nights.*"),
    ("speech", '"Tobias."'),
    ("speech", '"Izzy. You\'re out late."'),
    ("speech", '"So are you. So is your sparrow."'),
    (
        "speech",
        (
            '"Miss Marsh, I need the lamps on the Old Stairs lit tonight. All of them. '
            "There's a boat coming in that doesn't know the river.\""
        ),
    ),
    ("speech", '"The Old Stairs haven\'t been lit in years,"'),
    ("speech", '"I know it."'),
    ("speech", '"The brackets are rotten, Captain. The ladder won\'t hold on them."'),
    ("speech", '"Then she\'ll have to climb without it."'),
    (
        "speech",
        (
            '"When I was a boy there was a ship called the Margery Ash. She came up on a '
            "night like this one, and the Old Stairs were dark because the lamplighter was "
            "drunk in the Anchor."
        ),
    ),
    (
        "speech",
        (
            "\"They found her in the morning, on the mud below Saint Olave's, with her mast "
            "through her own deck. Eleven men. I knew two of them."
        ),
    ),
    (
        "speech",
        (
            "\"So you'll light the Old Stairs, Nell, and I'll hold your ladder, rotten "
            "brackets or not. And if you fall, I'll catch you, and if I don't catch you, you "
            'may haunt me as much as you like."'
        ),
    ),
    ("speech", '"That\'s not very comforting, Master Crane."'),
    ("speech", '"It wasn\'t meant to be."'),
    ("speech", "\"An' then Old Crow says, 'Eleven men, I knew two of 'em,' like it's a ghost story,\""),
    ("speech", "'Eleven men, I knew two of 'em,'"),
    ("speech", '"Gave me the shivers, it did."'),
    ("speech", "— You are the little lamplighter, yes?"),
    ("speech", "— Without you, we are on the mud tonight."),
    ("speech", "— It was Master Crane's idea,"),
    ("speech", "— I only climbed."),
    ("speech", "— Then you climb very well."),
    ("speech", '"Well done, Sparrow,"'),
    ("speech", '"Pip talks,"'),
    ("speech", '"Pip talks a great deal. Go home, both of you. Tobias, take the child home."'),
    ("speech", '"I\'m not a child."'),
    ("speech", '"No,"'),
    ("speech", '"No, you\'re not. Come on, Nell."'),
    ("thought", "~Forty winters. I wonder if he was ever scared.~"),
]


@pytest.fixture(scope="module")
def story() -> fabula.Story:
    return fabula.read(EXAMPLE)


@pytest.mark.issue(2)
def test_example_story_quotes_and_thoughts_exactly(story: fabula.Story) -> None:
    assert [(q.kind, story.span_text(q)) for q in story.layer("quotes")] == QUOTES


@pytest.mark.issue(2)
def test_example_story_flags_nested_and_continued_speech(story: fabula.Story) -> None:
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    nested = [story.span_text(q) for q in quotes if q.nested]
    assert nested == ["'Eleven men, I knew two of 'em,'"]
    pieces = [q for q in quotes if story.span_text(q).startswith(('"When I was a boy', '"They found her', '"So you'))]
    assert [(q.continued, q.closed) for q in pieces] == [(False, False), (True, False), (True, True)]
    assert not any("unclosed" in w for w in story.warnings)


@pytest.mark.issue(2)
def test_example_story_structure(story: fabula.Story) -> None:
    assert [story.span_text(b) for b in story.layer("scene_breaks")] == ["* * *", "xXx"]
    assert [(getattr(p, "kind", ""), story.span_text(p)[:14]) for p in story.layer("paratext")] == [
        ("title", "# The Lampligh"),
        ("disclaimer", "Disclaimer: I "),
        ("author-note", "A/N: Written f"),
        ("author-note", "A/N: Thank you"),
    ]
    assert [getattr(c, "title", None) for c in story.layer("chapters")] == ["Chapter One: The Longest Night"]
    assert len(story.layer("scenes")) == 3


@pytest.mark.issue(2)
def test_example_story_is_long_enough_and_original() -> None:
    words = len(EXAMPLE.read_text(encoding="utf-8").split())
    assert 1000 <= words <= 2000
