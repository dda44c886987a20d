"""The story report: one self-contained web page (issue 6).

:func:`render_report` turns an analysed :class:`~fabula.model.Story` into a single HTML file with
its styles, script and charts inline (no network, no CDN): the story with each quote coloured by
its speaker (hover or tap for speaker, addressee, confidence and evidence), thoughts styled
apart, POV bands and head-hop marks, scene breaks, paratext folded away; character cards with
each voice; a conversation network and the emotional arc as SVG; and the feedback list, linked
to the text. Every piece of story text is escaped, and a Content-Security-Policy lets only the
report's own script run, so a story that contains ``<script>`` shows it as text.

>>> from fabula import analyze
>>> page = render_report(analyze('"<script>alert(1)</script>," she said.'))
>>> "<script>alert(1)" in page, "&lt;script&gt;alert(1)" in page
(False, True)
"""

from __future__ import annotations

import bisect
import hashlib
import html
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from string import Template

from fabula.model import (
    Chapter,
    Character,
    Feedback,
    Misspelling,
    Normalization,
    Paragraph,
    Paratext,
    Pov,
    Quote,
    SceneBreak,
    Story,
    Valence,
)

#: Speaker colours: dark enough to read on the page, far enough apart to tell.
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f00",
    "#393b79",
    "#637939",
    "#843c39",
)
_PARATEXT_NAMES = {
    "author-note": "Author's note",
    "disclaimer": "Disclaimer",
    "summary": "Summary",
    "notes": "Notes",
    "end-notes": "End notes",
    "title": "Title",
    "header": "Header",
}


_ID = re.compile(r' id="[^"]*"')


def _esc(s: str) -> str:
    return html.escape(s, quote=True)


def _asset(name: str) -> str:
    return (resources.files("fabula") / "render" / "templates" / name).read_text(encoding="utf-8")


@dataclass(frozen=True, slots=True)
class _Inline:
    start: int
    end: int
    open: str
    close: str
    rank: int  # lower opens first when two spans start together


def _nest(text: str, start: int, end: int, spans: Sequence[_Inline]) -> str:
    """``text[start:end]`` escaped, with inline spans as properly nested tags (crossing ones split)."""
    inside = sorted(
        (s for s in spans if s.start < end and s.end > start and s.end > s.start),
        key=lambda s: (max(s.start, start), -min(s.end, end), s.rank),
    )
    bounds = sorted({start, end, *(max(s.start, start) for s in inside), *(min(s.end, end) for s in inside)})
    out: list[str] = []
    stack: list[_Inline] = []
    k = 0
    for a, b in itertools.pairwise(bounds):
        # close what ends here (and reopen what was stacked above it)
        ending = [i for i, s in enumerate(stack) if s.end <= a]
        if ending:
            low = ending[0]  # close down to the outermost span that ends here; reopen the rest
            keep = [s for s in stack[low:] if s.end > a]
            out.extend(s.close for s in reversed(stack[low:]))
            stack = stack[:low]
            for s in keep:
                out.append(_ID.sub("", s.open, count=1))  # reopened: one element keeps the id
                stack.append(s)
        while k < len(inside) and max(inside[k].start, start) <= a:
            s = inside[k]
            k += 1
            if s.end > a:
                out.append(s.open)
                stack.append(s)
        out.append(html.escape(text[a:b], quote=False))
    out.extend(s.close for s in reversed(stack))
    return "".join(out)


class _Report:
    def __init__(self, story: Story) -> None:
        self.story = story
        self.quotes = [q for q in story.layer("quotes") if isinstance(q, Quote)]
        lines: Counter[str] = Counter(q.speaker for q in self.quotes if q.speaker and q.kind == "speech")
        order = sorted(story.characters, key=lambda c: (-lines[c.id], c.first_char or 0, c.id))
        self.characters = order
        self.lines = lines
        self.color = {c.id: PALETTE[i % len(PALETTE)] for i, c in enumerate(order)}
        self.feedback = [f for f in story.layer("feedback") if isinstance(f, Feedback)]

    def name(self, cid: str | None) -> str:
        c = self.story.character(cid)
        return c.name if c else (cid or "unknown")

    # --- the story text ------------------------------------------------------------------------

    def inline_spans(self) -> list[_Inline]:
        spans: list[_Inline] = []
        for i, q in enumerate(self.quotes):
            kind = "thought" if q.kind == "thought" else "speech"
            cls = ["q", kind]
            style = ""
            if q.speaker:
                style = f' style="color:{self.color.get(q.speaker, "#444")}"'
                if kind == "speech":
                    col = self.color.get(q.speaker, "#444")
                    style = f' style="color:{col};background:{col}14"'
            else:
                cls.append("unknown")
            to = ", ".join(self.name(a) for a in q.addressees)
            conf = f"{q.confidence:.2f}" if q.speaker else ""
            evidence = (q.method or "") + (" (remembered)" if q.remembered and q.method != "remembered" else "")
            title = (
                f"{'thought' if kind == 'thought' else 'said'} by {self.name(q.speaker) if q.speaker else 'unknown'}"
            )
            attrs = (
                f'class="{" ".join(cls)}" id="q-{i}" tabindex="0" data-kind="{kind}" '
                f'data-speaker="{_esc(self.name(q.speaker) if q.speaker else "")}" data-to="{_esc(to)}" '
                f'data-conf="{conf}" data-method="{_esc(evidence)}" title="{_esc(title)}"'
            )
            spans.append(_Inline(q.start_char, q.end_char, f"<span {attrs}{style}>", "</span>", 1))
        for n in self.story.layer("normalizations"):
            if isinstance(n, Normalization):
                tip = f"{n.form} = {n.standard}"
                spans.append(
                    _Inline(n.start_char, n.end_char, f'<span class="norm" title="{_esc(tip)}">', "</span>", 3)
                )
        for m in self.story.layer("misspellings"):
            if isinstance(m, Misspelling):
                tip = f"{m.suggestion}? {m.reason}"
                spans.append(
                    _Inline(m.start_char, m.end_char, f'<span class="miss" title="{_esc(tip)}">', "</span>", 4)
                )
        return spans

    def feedback_marks(self, paras: Sequence[Paragraph]) -> tuple[list[_Inline], dict[int, list[int]]]:
        """Short feedback spans become marks; long ones an anchor before their first paragraph."""
        marks: list[_Inline] = []
        anchors: dict[int, list[int]] = {}
        starts = [p.start_char for p in paras]
        for i, f in enumerate(self.feedback):
            k = bisect.bisect_right(starts, f.start_char) - 1
            para = paras[k] if k >= 0 else None
            if para is not None and f.end_char <= para.end_char and f.kind not in ("head-hop", "long-sentence"):
                marks.append(
                    _Inline(
                        f.start_char,
                        f.end_char,
                        f'<mark class="fb" id="fb-{i}" title="{_esc(f.reason)}">',
                        "</mark>",
                        2,
                    )
                )
            else:
                anchors.setdefault(para.start_char if para is not None else 0, []).append(i)
        return marks, anchors

    def story_html(self) -> str:
        st = self.story
        text = st.text
        paras = [p for p in st.layer("paragraphs") if isinstance(p, Paragraph)]
        paratext = [p for p in st.layer("paratext") if isinstance(p, Paratext)]
        breaks = [b for b in st.layer("scene_breaks") if isinstance(b, SceneBreak)]
        chapters = {c.start_char: c for c in st.layer("chapters") if isinstance(c, Chapter)}
        povs = [p for p in st.layer("pov") if isinstance(p, Pov)]
        spans = self.inline_spans()
        marks, anchors = self.feedback_marks(paras)
        spans += marks
        # each paragraph gets only the spans that touch it (a novel has thousands of both)
        starts = [p.start_char for p in paras]
        buckets: dict[int, list[_Inline]] = {}
        for sp in spans:
            lo = max(0, bisect.bisect_right(starts, sp.start) - 1)
            for k in range(lo, bisect.bisect_left(starts, sp.end)):
                buckets.setdefault(k, []).append(sp)
        out: list[str] = []
        open_para: Paratext | None = None
        last_pov: tuple[str | None, str] | None = None
        for k, p in enumerate(paras):
            pt = next((x for x in paratext if x.overlaps(p)), None)
            if pt is not open_para:
                if open_para is not None:
                    out.append("</details>")
                if pt is not None:
                    label = _PARATEXT_NAMES.get(pt.kind, pt.kind)
                    out.append(f'<details class="paratext"><summary>{_esc(label)}</summary>')
                open_para = pt
            if pt is not None:
                out.append(f"<p>{_nest(text, p.start_char, p.end_char, [])}</p>")
                continue
            if any(b.overlaps(p) for b in breaks):
                out.append(f'<hr class="scene-break" title="{_esc(text[p.start_char : p.end_char])}">')
                last_pov = None
                continue
            ch = chapters.get(p.start_char)
            if ch is not None and ch.title and p.end_char - p.start_char <= len(ch.title) + 2:
                out.append(f"<h3>{_esc(text[p.start_char : p.end_char])}</h3>")
                continue
            pv = next((x for x in povs if x.start_char <= p.start_char < x.end_char), None)
            attrs = f' id="p-{p.start_char}"'
            extra = ""
            if pv is not None:
                key = (pv.character, pv.person)
                color = self.color.get(pv.character or "", "#bbb")
                attrs += f' style="border-left-color:{color}"'
                if key != last_pov:
                    who = (
                        self.name(pv.character)
                        if pv.character
                        else ("an outside narrator" if pv.person == "outside" else "I")
                    )
                    attrs += f' class="pov-change" data-pov-label="POV: {_esc(who)}"'
                    if pv.head_hop and pv.start_char == p.start_char:
                        extra = f'<span class="hop">⚠ head-hop: into {_esc(who)}’s head, with no scene break</span>'
                last_pov = key
            for i in anchors.get(p.start_char, []):
                extra += (
                    f'<a class="fb-anchor" id="fb-{i}" href="#fbl-{i}" title="{_esc(self.feedback[i].reason)}">◆</a>'
                )
            out.append(f"<p{attrs}>{extra}{_nest(text, p.start_char, p.end_char, buckets.get(k, []))}</p>")
        if open_para is not None:
            out.append("</details>")
        return "\n".join(out)

    # --- characters ------------------------------------------------------------------------------

    def cards(self) -> str:
        if not self.characters:
            return '<p class="note">No characters were found (the characters stage did not run or found none).</p>'
        from fabula.stages.dialect import character_voices
        from fabula.stages.mood import character_moods

        voices = character_voices(self.story)
        moods = character_moods(self.story)
        words: Counter[str] = Counter()
        thoughts: Counter[str] = Counter()
        for q in self.quotes:
            if q.speaker and q.kind == "speech":
                words[q.speaker] += len(self.story.span_text(q).split())
            elif q.speaker:
                thoughts[q.speaker] += 1
        out = ['<div class="cards">']
        for c in self.characters:
            out.append(self._card(c, words[c.id], thoughts[c.id], voices.get(c.id), moods.get(c.id)))
        out.append("</div>")
        return "\n".join(out)

    def _card(self, c: Character, n_words: int, n_thoughts: int, voice: object, mood: float | None) -> str:
        from fabula.stages.dialect import CharacterVoice

        names = ", ".join(f"{a.name} ×{a.count}" for a in c.aliases) or c.name
        role = "mentioned only" if c.mentioned_only else ("speaks" if c.speaks or self.lines[c.id] else "present")
        rows = [
            ("Names", names),
            ("Pronouns", c.pronouns),
            ("Role", role),
            ("Lines", f"{self.lines[c.id]} ({n_words} words)"),
        ]
        if n_thoughts:
            rows.append(("Thoughts", str(n_thoughts)))
        if isinstance(voice, CharacterVoice):
            rows.append(("Dialect", f"{voice.dialect_share:.0%} of words"))
            if voice.forms:
                rows.append(
                    ("Forms", ", ".join(f"{f} → {s}" + (f" ×{n}" if n > 1 else "") for f, s, n in voice.forms[:8]))
                )
            if voice.signature:
                rows.append(("Signature", ", ".join(voice.signature)))
        if mood is not None:
            rows.append(("Mood of speech", f"{mood:+.2f}"))
        dl = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in rows)
        return (
            f'<div class="card" style="--c:{self.color.get(c.id, "#999")}"><h3>{_esc(c.name)}</h3><dl>{dl}</dl></div>'
        )

    # --- charts ----------------------------------------------------------------------------------

    def network(self) -> str:
        edges: Counter[tuple[str, str]] = Counter()
        for q in self.quotes:
            if q.kind == "speech" and q.speaker:
                for a in q.addressees:
                    if a != q.speaker:
                        edges[(q.speaker, a)] += 1
        nodes = [c for c in self.characters if self.lines[c.id] or any(c.id in e for e in edges)]
        if not nodes:
            return '<p class="note">No attributed dialogue: the network needs speakers and addressees.</p>'
        w, h, r0 = 600, (200 if len(nodes) <= 2 else 360), 130
        cx, cy = w / 2, h / 2
        pos = {}
        for i, c in enumerate(nodes):
            # two speakers side by side; more round a circle from the top
            ang = math.pi * (1 - i) if len(nodes) == 2 else 2 * math.pi * i / len(nodes) - math.pi / 2
            pos[c.id] = (
                cx + (r0 if len(nodes) > 1 else 0) * math.cos(ang),
                cy + (r0 if len(nodes) > 1 else 0) * math.sin(ang),
            )
        most = max(edges.values(), default=1)
        parts = [
            f'<svg viewBox="0 0 {w} {h}" role="img" aria-label="Conversation network">',
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="12" markerHeight="12" '
            'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
        ]
        for (a, b), n in sorted(edges.items()):
            if a not in pos or b not in pos:
                continue
            (x1, y1), (x2, y2) = pos[a], pos[b]
            # bend the line so that a->b and b->a do not overlap
            mx, my = (x1 + x2) / 2 + (y2 - y1) * 0.15, (y1 + y2) / 2 - (x2 - x1) * 0.15
            ra, rb = 10 + 4 * math.sqrt(self.lines[a]), 12 + 4 * math.sqrt(self.lines[b])
            dx, dy = x2 - mx, y2 - my
            d = math.hypot(dx, dy) or 1
            ex, ey = x2 - dx / d * rb, y2 - dy / d * rb
            dx, dy = mx - x1, my - y1
            d = math.hypot(dx, dy) or 1
            x1, y1 = x1 + dx / d * ra, y1 + dy / d * ra
            sw = 1 + 5 * n / most
            tip = f"{self.name(a)} → {self.name(b)}: {n} line{'s' if n != 1 else ''}"
            parts.append(
                f'<path d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}" fill="none" '
                f'stroke="{self.color.get(a, "#777")}" stroke-opacity=".7" stroke-width="{sw:.1f}" '
                f'marker-end="url(#arrow)"><title>{_esc(tip)}</title></path>'
            )
        for c in nodes:
            x, y = pos[c.id]
            rad = 10 + 4 * math.sqrt(self.lines[c.id])
            label = f"{c.name} ({self.lines[c.id]})"
            parts.append(
                f'<g class="node"><circle cx="{x:.1f}" cy="{y:.1f}" r="{rad:.1f}" '
                f'fill="{self.color.get(c.id, "#999")}">'
                f"<title>{_esc(label)}</title></circle>"
                f'<text x="{x:.1f}" y="{y + rad + 14:.1f}" text-anchor="middle">{_esc(c.name)}</text></g>'
            )
        parts.append("</svg>")
        caption = (
            "Arrows run from speaker to addressee; thicker lines carry more lines of dialogue, "
            "bigger circles speak more."
        )
        return f"<figure>{''.join(parts)}<figcaption>{caption}</figcaption></figure>"

    def arc(self) -> str:
        from fabula.stages.mood import arc as smoothed
        from fabula.stages.mood import scene_moods

        vals = [v for v in self.story.layer("valence") if isinstance(v, Valence)]
        if not vals:
            return '<p class="note">No mood scores: the mood stage did not run.</p>'
        n = len(self.story.text) or 1
        w, h, pad = 600, 200, 24

        def x(pos: int) -> float:
            return pad + (w - 2 * pad) * pos / n

        def y(v: float) -> float:
            return h / 2 - (h / 2 - pad) * v

        raw = " ".join(f"{x(v.start_char):.1f},{y(v.score):.1f}" for v in vals)
        sm = " ".join(f"{x(p):.1f},{y(s):.1f}" for p, s in smoothed(self.story))
        parts = [
            f'<svg viewBox="0 0 {w} {h}" role="img" aria-label="Emotional arc">',
            f'<line x1="{pad}" x2="{w - pad}" y1="{h / 2}" y2="{h / 2}" stroke="#ccc"/>',
            f'<text x="2" y="{pad}">+1</text><text x="2" y="{h - pad + 4}">−1</text>',
        ]
        for s, _e, _mean in scene_moods(self.story)[1:]:
            parts.append(
                f'<line x1="{x(s):.1f}" x2="{x(s):.1f}" y1="{pad}" y2="{h - pad}" '
                'stroke="#bbb" stroke-dasharray="4 3"/>'
            )
        parts.append(f'<polyline points="{raw}" fill="none" stroke="#bbb" stroke-width="1"/>')
        parts.append(f'<polyline points="{sm}" fill="none" stroke="#c0392b" stroke-width="2.5"/>')
        for p in self.story.layer("pov"):
            if isinstance(p, Pov) and p.head_hop:
                parts.append(
                    f'<text x="{x(p.start_char):.1f}" y="{h - 4}" text-anchor="middle" fill="#b3261e">'
                    "⚠<title>head-hop</title></text>"
                )
        parts.append("</svg>")
        scenes = scene_moods(self.story)
        per = "; ".join(f"scene {i + 1}: {m:+.2f}" for i, (_s, _e, m) in enumerate(scenes))
        caption = f"Valence per paragraph (grey) and smoothed (red), from −1 (dark) to +1 (bright). {per}."
        return f"<figure>{''.join(parts)}<figcaption>{_esc(caption)}</figcaption></figure>"

    # --- feedback --------------------------------------------------------------------------------

    def feedback_list(self) -> str:
        if not self.feedback:
            note = "No feedback." if self.story.has("feedback") else "The feedback stage did not run."
            return f'<p class="note">{note}</p>'
        counts = Counter(f.kind for f in self.feedback)
        summary = ", ".join(f"{k} ×{n}" for k, n in counts.most_common())
        items = []
        for i, f in enumerate(self.feedback):
            excerpt = " ".join(self.story.span_text(f).split())
            if len(excerpt) > 90:
                excerpt = excerpt[:89] + "…"
            items.append(
                f'<li id="fbl-{i}"><span class="kind {_esc(f.kind)}">{_esc(f.kind)}</span>'
                f'<a href="#fb-{i}">{_esc(f.reason)}</a> <span class="excerpt">“{_esc(excerpt)}”</span></li>'
            )
        return f'<p class="note">{_esc(summary)}</p><ol class="fb-list">{"".join(items)}</ol>'

    # --- the page --------------------------------------------------------------------------------

    def page(self) -> str:
        import fabula

        st = self.story
        md = st.metadata
        heading = next((p for p in st.layer("paratext") if isinstance(p, Paratext) and p.kind == "title"), None)
        title = md.title or (" ".join(st.span_text(heading).strip("#*_ \n").split()) if heading else "")
        title = title or (st.source.path.rsplit("/", 1)[-1] if st.source.path else "Untitled story")
        byline = f'<p class="byline">by {_esc(", ".join(md.authors))}</p>' if md.authors else ""
        speech = sum(q.kind == "speech" for q in self.quotes)
        stats = (
            f"{len(st.text.split()):,} words · {len(st.story_paragraphs())} paragraphs · "
            f"{len(st.layer('scenes')) or 1} scenes · {speech} quotes · {len(self.quotes) - speech} thoughts · "
            f"{len(self.characters)} characters · {len(self.feedback)} feedback notes"
        )
        legend = " ".join(
            f'<span style="color:{self.color[c.id]}">■ {_esc(c.name)}</span>'
            for c in self.characters
            if self.lines[c.id]
        )
        legend += ' <span class="legend-thought">thought</span> <span class="norm">dialect</span>'
        legend += ' <span class="miss">spelling</span>'
        return Template(_asset("report.html")).substitute(
            title=_esc(title),
            byline=byline,
            stats=_esc(stats),
            version=_esc(fabula.__version__),
            nonce=hashlib.sha256((st.text + fabula.__version__).encode("utf-8")).hexdigest()[:24],
            css=_asset("report.css"),
            js=_asset("report.js"),
            cards=self.cards(),
            network=self.network(),
            arc=self.arc(),
            feedback=self.feedback_list(),
            legend=legend,
            story=self.story_html(),
        )


def render_report(story: Story) -> str:
    """The report of an analysed story as one self-contained HTML page.

    Works with whatever layers the story has: without speakers, quotes are shown unattributed;
    without ``valence`` or ``feedback``, their sections say so.
    """
    return _Report(story).page()
