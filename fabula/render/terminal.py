"""A readable terminal summary of an analysed story (what ``fabula read`` prints).

>>> from fabula import analyze
>>> print(click.unstyle(summary(analyze('"Stay," she said.'))).splitlines()[-1])
  ¶1    speech   "Stay,"
"""

from __future__ import annotations

import bisect

import click

from fabula.model import Quote, Story


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _name(story: Story, char_id: str) -> str:
    c = story.character(char_id)
    return c.name if c is not None else char_id


def summary(story: Story) -> str:
    """The summary as a string (with ANSI styles; click strips them when not a terminal).

    Counts, repairs the reader made, chapters, scene breaks, paratext, characters, then every
    quote and thought in order with its paragraph number (from 1), kind and, once attribution
    has run, speaker, addressees and confidence; warnings last.
    """
    lines: list[str] = []
    md = story.metadata
    title = md.title or (story.source.path or "story")
    lines.append(click.style(title, bold=True) + (f" by {', '.join(md.authors)}" if md.authors else ""))
    words = len(story.text.split())
    paras = story.layer("paragraphs")
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    n_speech = sum(q.kind == "speech" for q in quotes)
    counts = [
        (words, "word"),
        (len(paras), "paragraph"),
        (len(story.layer("sentences")), "sentence"),
        (len(story.tokens or ()), "token"),
        (len(story.layer("scenes")), "scene"),
        (n_speech, "quote"),
        (len(quotes) - n_speech, "thought"),
    ]
    lines.append(" · ".join(f"{n:,} {noun}{'' if n == 1 else 's'}" for n, noun in counts))
    if story.source.repairs:
        lines.append("repairs: " + "; ".join(story.source.repairs))
    for ch in story.layer("chapters"):
        lines.append(f"chapter: {_short(getattr(ch, 'title', None) or story.span_text(ch), 60)}")
    for b in story.layer("scene_breaks"):
        lines.append(f"scene break: {_short(story.span_text(b), 40)}")
    for p in story.layer("paratext"):
        lines.append(f"paratext ({getattr(p, 'kind', '?')}): {_short(story.span_text(p), 70)}")
    if story.characters:
        lines.append(click.style("Characters", bold=True))
        for c in story.characters:
            names = ", ".join(f"{a.name}×{a.count}" for a in c.aliases)
            role = "mentioned only" if c.mentioned_only else ("speaks" if c.speaks else "present")
            lines.append(f"  {c.name} ({c.pronouns}; {role}): {names}")
    if story.has("pov"):
        from fabula.stages.pov import pov_summary

        lines.append(click.style("Point of view", bold=True))
        lines += ["  " + line for line in pov_summary(story)]
    if story.has("valence"):
        from fabula.stages.mood import arc_sparkline

        lines.append(click.style("Emotional arc", bold=True) + "  " + arc_sparkline(story))
    starts = [p.start_char for p in paras]
    lines.append(click.style("Quotes and thoughts", bold=True))
    for q in quotes:
        pno = bisect.bisect_right(starts, q.start_char)
        who = ""
        if q.speaker:
            who = f" {_name(story, q.speaker)}"
            if q.addressees:
                who += " → " + ", ".join(_name(story, a) for a in q.addressees)
            who += f" ({q.confidence:.2f})"
        flag = " [remembered]" if q.remembered else ""
        kind = click.style(f"{q.kind:<7}", fg="cyan" if q.kind == "speech" else "magenta")
        lines.append(f"  ¶{pno:<4} {kind}{who}{flag}  {_short(story.span_text(q), 90)}")
    for w in story.warnings:
        lines.append(click.style(f"warning: {w}", fg="yellow"))
    return "\n".join(lines)
