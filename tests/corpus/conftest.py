"""Small corpora written for these tests (original prose, varied by a seed) and dataset helpers."""

from __future__ import annotations

import random
from pathlib import Path

NAMES = ["Wren", "Tobias", "Marguerite", "Ilse", "Corin", "Dalia", "Hollis", "Juniper", "Osric", "Perpetua"]
PLACES = ["the ferry landing", "the orchard wall", "the lamp shop", "the flooded mill", "the signal tower"]
LINES = [
    "Did you bring the lantern?",
    "We should not be here after dark.",
    "I told you the river was rising.",
    "Hand me the rope, quickly.",
    "Nobody has crossed that bridge in years.",
    "Keep your voice down, they will hear us.",
    "I am not afraid of a little rain.",
    "Whose boots are these?",
]
THOUGHTS = ["This is a terrible idea.", "Don't look down.", "She knows more than she says."]


def make_story(seed: int, paragraphs: int = 12) -> str:
    """A short original story with speech, a thought and a scene break, varied by ``seed``."""
    rng = random.Random(seed)
    a, b = rng.sample(NAMES, 2)
    out = [f"{a} and {b} met at {rng.choice(PLACES)} when the bells had stopped."]
    for i in range(paragraphs):
        speaker, other = (a, b) if i % 2 == 0 else (b, a)
        line = rng.choice(LINES)
        line = line[:-1] + "," if line.endswith(".") else line
        thing = rng.choice(["reeds", "shutters", "sails"])
        out.append(f'"{line}" {speaker} said, looking at {other}. The wind pulled at the {thing}.')
        if i == paragraphs // 2:
            out.append("* * *")
            out.append(f"*{rng.choice(THOUGHTS)}* {other} thought, and said nothing for a while.")
    out.append(f"In the end {a} laughed. \"Work {seed} is finished,\" {a} said.")
    return "\n\n".join(out) + "\n"


def write_corpus(folder: Path, n: int, *, paragraphs: int = 12, broken: bool = False) -> list[Path]:
    """Write ``n`` stories into ``folder`` (in two sub-folders); with ``broken``, three bad files too."""
    paths = []
    for i in range(n):
        sub = folder / ("a" if i % 2 else "b")
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"work-{i:04d}.txt"
        p.write_text(make_story(i, paragraphs), encoding="utf-8")
        paths.append(p)
    if broken:
        (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        (folder / "empty.md").write_bytes(b"")
        (folder / "archive.txt").write_bytes(b"PK\x03\x04" + bytes(200))
    return paths


def table_rows(out: Path, table: str, order: str) -> list[tuple]:
    """Every row of ``table`` in ``out``, sorted by ``order`` (a SQL ORDER BY list)."""
    from fabula.corpus import query

    return query(out, f"SELECT * FROM {table} ORDER BY {order}").fetchall()


ORDER = {
    "works": "work_id",
    "chapters": "work_id, index",
    "characters": "work_id, character_id",
    "quotes": "work_id, index",
    "mentions": "work_id, start, \"end\"",
    "pov": "work_id, start",
    "feedback": "work_id, start, kind",
    "errors": "work_id",
}
