"""A readable terminal summary of an analysed story (what ``fabula read`` prints)."""

from __future__ import annotations

import bisect

import click

from fabula.model import Quote, Story


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summary(story: Story) -> str:
    """The summary as a string (with ANSI styles; click strips them when not a terminal)."""
    lines: list[str] = []
    md = story.metadata
    title = md.title or (story.source.path or "story")
    lines.append(click.style(title, bold=True) + (f" by {', '.join(md.authors)}" if md.authors else ""))
    words = len(story.text.split())
    paras = story.layer("paragraphs")
    quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
    n_speech = sum(q.kind == "speech" for q in quotes)
    lines.append(
        f"{words:,} words · {len(paras)} paragraphs · {len(story.layer('sentences'))} sentences · "
        f"{len(story.tokens or ())} tokens · {len(story.layer('scenes'))} scenes · "
        f"{n_speech} quotes · {len(quotes) - n_speech} thoughts"
    )
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
    starts = [p.start_char for p in paras]
    lines.append(click.style("Quotes and thoughts", bold=True))
    for q in quotes:
        pno = bisect.bisect_right(starts, q.start_char)
        who = ""
        if q.speaker:
            c = story.character(q.speaker)
            who = f" {c.name if c else q.speaker}"
            if q.addressees:
                who += " → " + ", ".join((story.character(a).name if story.character(a) else a) for a in q.addressees)  # type: ignore[union-attr]
            who += f" ({q.confidence:.2f})"
        flag = " [remembered]" if q.remembered else ""
        kind = click.style(f"{q.kind:<7}", fg="cyan" if q.kind == "speech" else "magenta")
        lines.append(f"  ¶{pno:<4} {kind}{who}{flag}  {_short(story.span_text(q), 90)}")
    for w in story.warnings:
        lines.append(click.style(f"warning: {w}", fg="yellow"))
    return "\n".join(lines)
