"""LitBank gold data, aligned to the original Gutenberg text.

LitBank (Bamman et al. 2019, 2020; CC BY 4.0) ships each work as tokenised sentences, one
a line, tokens separated by single spaces, with stand-off annotations by sentence and token
number. fabula reads stories, not token lists, so this module aligns every LitBank token to
the original text the excerpt was taken from (``original/<id>.txt``: hard-wrapped, with its
paragraphs) and turns every annotation into a half-open character span into that text.

The API (no CLI needed)::

    from fabula.eval.litbank import analyze_work, load_litbank, load_work, to_reference

    works = load_litbank("../shared/litbank-dev")     # list[LitbankWork], sorted by id
    w = load_work("../shared/litbank-dev", "1342_pride_and_prejudice")
    w.text                     # original/<id>.txt exactly as read (UTF-8)
    w.region                   # (start, end): the annotated excerpt inside w.text
    w.sentences[s][t]          # LitBank's token t of sentence s
    w.token_spans[s][t]        # its (start, end) in w.text; zero-width when unaligned
    w.token_aligned[s][t]      # False when the token could not be found in the text
    w.aligned_share            # share of tokens aligned (all 147,384 on the dev split)
    w.quotes                   # tuple[GoldQuote]: start_char, end_char, qid, speaker (entity id)
    w.mentions                 # tuple[GoldMention]: start_char, end_char, mid, entity, label, kind
    w.entities                 # tuple[GoldEntity]: start_char, end_char, label, layer (BIO tsv)
    w.speakers                 # {entity id: display name} for every entity that speaks
    w.char_span(s1, t1, s2, t2)   # char span of LitBank's inclusive token range
    story = analyze_work(w)    # fabula's analysis, its spans in w.text coordinates
    ref = to_reference(w)      # the gold as a fabula.eval.reference.Reference, for scoring

``GoldMention.label`` is LitBank's entity type (``PER``, ``LOC``, ``FAC``, ``GPE``, ``VEH``,
``ORG``); ``kind`` is ``PROP``, ``NOM`` or ``PRON``. ``GoldEntity.layer`` is 1 for the
outermost BIO column of ``entities/``, 2 for the next, and so on.

How the alignment works: the letters and digits of every token (lower-cased) are matched in
order against the letters and digits of the original text, so quote marks, dashes, ``_``
italics markers, apostrophes, line breaks and hyphenation cannot break it. A token that does
not match where expected is looked for further on, keyed on it and the tokens after it (the
next few thousand letters first, then, for a distinctive key, the rest of the text), so text
missing on either side (a dropped word, a caption, a skipped chapter) costs only the tokens
concerned. Punctuation-only tokens are then placed in the text between their aligned
neighbours, with quote marks, apostrophes and dashes of any style treated as equal.

>>> text = "He said, \\u201cDon\\u2019t--go.\\u201d"
>>> spans, ok = align_tokens(text, [["He", "said", ",", '"', "Do", "n't", "--", "go", ".", '"']])
>>> [text[a:b] for a, b in spans[0]]
['He', 'said', ',', '\\u201c', 'Do', 'n\\u2019t', '--', 'go', '.', '\\u201d']
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from fabula.errors import Errors, EvalError
from fabula.model import Span

if TYPE_CHECKING:
    from fabula.eval.reference import Reference, RefMention, RefQuote
    from fabula.model import Story
    from fabula.pipeline import Pipeline

__all__ = [
    "GoldEntity",
    "GoldMention",
    "GoldQuote",
    "LitbankWork",
    "align_tokens",
    "analyze_work",
    "load_litbank",
    "load_work",
    "speaker_pronouns",
    "to_reference",
    "work_ids",
]


@dataclass(frozen=True, slots=True)
class GoldQuote(Span):
    """A LitBank quotation (marks included) and the entity id of its speaker."""

    qid: str = ""
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class GoldMention(Span):
    """A LitBank coreference mention: its entity id, type (PER, LOC...) and kind (PROP, NOM, PRON)."""

    mid: str = ""
    entity: str | None = None
    label: str = "PER"
    kind: str = "PROP"


@dataclass(frozen=True, slots=True)
class GoldEntity(Span):
    """A span of LitBank's nested entity tagging (``entities/``); layer 1 is the outermost."""

    label: str = "PER"
    layer: int = 1


TokenSpan = tuple[int, int]


@dataclass(frozen=True)
class LitbankWork:
    """One LitBank work: the original text, where each token lies in it, and the gold annotations."""

    id: str
    text: str
    region: tuple[int, int]
    sentences: tuple[tuple[str, ...], ...]
    token_spans: tuple[tuple[TokenSpan, ...], ...]
    token_aligned: tuple[tuple[bool, ...], ...]
    quotes: tuple[GoldQuote, ...] = ()
    mentions: tuple[GoldMention, ...] = ()
    entities: tuple[GoldEntity, ...] = ()
    speakers: dict[str, str] = field(default_factory=dict)

    @property
    def n_tokens(self) -> int:
        """How many tokens LitBank has for this work."""
        return sum(len(s) for s in self.sentences)

    @property
    def aligned_share(self) -> float:
        """The share of LitBank's tokens found in the original text."""
        n = self.n_tokens
        return sum(sum(a) for a in self.token_aligned) / n if n else 1.0

    def char_span(self, s1: int, t1: int, s2: int, t2: int) -> TokenSpan:
        """The character span from token ``t1`` of sentence ``s1`` to token ``t2`` of ``s2``, both included."""
        start = self.token_spans[s1][t1][0]
        end = self.token_spans[s2][t2][1]
        return start, max(start, end)


# --- alignment -----------------------------------------------------------------------------

_ALNUM = re.compile(r"[^\W_]")
_DQ = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033'
_SQ = "'`\u2018\u2019\u201a\u201b\u2032"
_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_CHAR_CLASS = {**{c: "[" + re.escape(_DQ) + "]|''|``" for c in _DQ}, **{c: "[" + re.escape(_SQ) + "]" for c in _SQ}}
_KEY_CHARS = 24  # characters of letters/digits a resync key needs (token plus following tokens)
_WINDOW = 3000  # how far ahead (letters/digits) a token is looked for when it does not match in place


def _letters(token: str) -> str:
    """A token's letters and digits, lower-cased one character for one character.

    >>> _letters("n't"), _letters("Mr."), _letters("--")
    ('nt', 'mr', '')
    """
    return "".join(_low(c) for c in token if c.isalnum() and c != "_")


def _low(c: str) -> str:
    low = c.lower()
    return low if len(low) == 1 else c


@lru_cache(maxsize=4096)
def _punct_pattern(token: str) -> re.Pattern[str]:
    """A regex for a punctuation string that treats quote, apostrophe and dash styles as equal."""
    if token in ("``", "''"):
        token = '"'
    parts: list[str] = []
    i = 0
    while i < len(token):
        c = token[i]
        if c in _DASH:
            while i < len(token) and token[i] in _DASH:
                i += 1
            parts.append("[" + re.escape(_DASH) + "]+")
            continue
        if token.startswith("...", i) or c == "\u2026":
            n = 1 if c == "\u2026" else 3
            while token.startswith(".", i + n):
                n += 1
            parts.append(r"\u2026" if n == 1 else rf"(?:\u2026|\.(?:\s?\.){{{n - 1}}})")
            i += n
            continue
        parts.append(f"(?:{_CHAR_CLASS[c]})" if c in _CHAR_CLASS else re.escape(c))
        i += 1
    return re.compile("".join(parts))


@lru_cache(maxsize=1024)
def _ending(token: str) -> re.Pattern[str]:
    """Like :func:`_punct_pattern`, anchored at the end of the searched range."""
    return re.compile(f"(?:{_punct_pattern(token).pattern})\\Z")


def align_tokens(text: str, sentences: Sequence[Sequence[str]]) -> tuple[list[list[TokenSpan]], list[list[bool]]]:
    """Align tokenised sentences to ``text``; returns per-token ``(start, end)`` spans and aligned flags.

    An unaligned token gets a zero-width span at the end of the token before it.
    """
    flat = [t for sent in sentences for t in sent]
    n = len(flat)
    starts = [-1] * n
    ends = [-1] * n
    _align_words(text, flat, starts, ends)
    _place_punctuation(text, flat, starts, ends)
    spans: list[list[TokenSpan]] = []
    aligned: list[list[bool]] = []
    k = 0
    last = next((s for s in starts if s >= 0), 0)
    for sent in sentences:
        row: list[TokenSpan] = []
        ok: list[bool] = []
        for _ in sent:
            if starts[k] >= 0:
                row.append((starts[k], ends[k]))
                ok.append(True)
                last = ends[k]
            else:
                row.append((last, last))
                ok.append(False)
            k += 1
        spans.append(row)
        aligned.append(ok)
    return spans, aligned


def _align_words(text: str, flat: list[str], starts: list[int], ends: list[int]) -> None:
    """Align tokens that hold letters or digits, on the letters-and-digits stream of ``text``."""
    pos: list[int] = []
    chars: list[str] = []
    for m in _ALNUM.finditer(text):
        pos.append(m.start())
        chars.append(_low(m.group()))
    stream = "".join(chars)
    words = [_letters(t) for t in flat]
    idx = [i for i, w in enumerate(words) if w]
    if not idx:
        return

    upto: list[int] = []  # letters in the word tokens idx[0] .. idx[j]
    total = 0
    for i in idx:
        total += len(words[i])
        upto.append(total)

    def key(j: int) -> str:
        parts: list[str] = []
        size = 0
        for i in idx[j : j + 12]:
            parts.append(words[i])
            size += len(words[i])
            if size >= _KEY_CHARS:
                break
        return "".join(parts)

    def back_key(j: int) -> str:
        parts: list[str] = []
        size = 0
        for i in reversed(idx[max(0, j - 11) : j + 1]):
            parts.append(words[i])
            size += len(words[i])
            if size >= _KEY_CHARS:
                break
        return "".join(reversed(parts))

    def distinctive(k: str, rest: int) -> bool:
        """Is the key long enough to search the whole text for (``rest``: letters left that side)?"""
        return len(k) >= _KEY_CHARS or (len(k) >= _KEY_CHARS // 2 and len(k) == rest)

    def place(i: int, p: int) -> None:
        w = words[i]
        a, b = _widen(text, flat[i], pos[p], pos[p + len(w) - 1] + 1)
        starts[i], ends[i] = a, b

    # where the excerpt starts: the first token whose key occurs anywhere in the text
    p = -1
    anchor = 0
    for anchor in range(min(len(idx), 200)):
        p = stream.find(key(anchor))
        if p >= 0:
            break
    if p < 0:
        return
    # tokens before the anchor (missing or changed in the text): align them backwards from it
    q_end = p
    for j in range(anchor - 1, -1, -1):
        w = words[idx[j]]
        if not stream.endswith(w, 0, q_end):
            k = back_key(j)
            q = stream.rfind(k, max(0, q_end - _WINDOW - len(k)), q_end)
            if q < 0 and distinctive(k, upto[j]):
                q = stream.rfind(k, 0, q_end)  # a long stretch of the text is not in LitBank
            if q < 0:
                continue
            q_end = q + len(k)
        place(idx[j], q_end - len(w))
        q_end -= len(w)
    for j, i in enumerate(idx[anchor:], start=anchor):
        w = words[i]
        if not stream.startswith(w, p):
            k = key(j)
            q = stream.find(k, p, p + _WINDOW + len(k))
            if q < 0 and distinctive(k, total - upto[j] + len(w)):
                q = stream.find(k, p)  # a long stretch of the text is not in LitBank: look further
            if q < 0:
                continue  # missing from the text: leave unaligned, do not advance
            p = q
        place(i, p)
        p += len(w)


def _widen(text: str, token: str, a: int, b: int) -> TokenSpan:
    """Extend a word's span over its leading and trailing punctuation (``'s``, ``Mr.``) when the text has it."""
    head = len(token) - len(token.lstrip("".join(c for c in token if not c.isalnum())))
    lead = token[:head]
    tail_len = len(token) - len(token.rstrip("".join(c for c in token if not c.isalnum())))
    tail = token[len(token) - tail_len :] if tail_len else ""
    if lead and not lead.isalnum():
        m = _ending(lead).search(text, max(0, a - len(lead) - 2), a)
        if m:
            a = m.start()
    if tail and not tail.isalnum():
        m = _punct_pattern(tail).match(text, b)
        if m:
            b = m.end()
    return a, b


def _place_punctuation(text: str, flat: list[str], starts: list[int], ends: list[int]) -> None:
    """Place punctuation-only tokens between their aligned neighbours."""
    n = len(flat)
    next_start = [len(text)] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_start[i] = starts[i] if starts[i] >= 0 else next_start[i + 1]
    first = next((i for i in range(n) if starts[i] >= 0), n)
    cursor = starts[first] if first < n else -1
    for i in range(first - 1, -1, -1):  # punctuation before the first word: place it backwards
        if _letters(flat[i]):
            break
        end = cursor
        while end > 0 and text[end - 1] in " \t\r\n":
            end -= 1
        m = _ending(flat[i]).search(text, max(0, end - 40), end)
        if m is None:
            break
        starts[i], ends[i] = m.start(), m.end()
        cursor = m.start()
    cursor = -1
    for i, tok in enumerate(flat):
        if starts[i] >= 0:
            cursor = ends[i]
            continue
        if _letters(tok) or cursor < 0:
            continue
        limit = next_start[i + 1]
        m = _punct_pattern(tok).search(text, cursor, limit)
        if m is None or text[cursor : m.start()].strip(" \t\r\n_*") != "":
            continue
        starts[i], ends[i] = m.start(), m.end()
        cursor = m.end()


# --- reading LitBank ----------------------------------------------------------------------


def _read_sentences(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split(" ") if line else [] for line in lines]


def work_ids(directory: str | Path) -> list[str]:
    """The ids of the works in a LitBank folder (those with an ``original/<id>.txt``), sorted."""
    root = Path(directory)
    if not (root / "original").is_dir():
        raise EvalError(Errors.E821.format(path=root))
    return sorted(p.stem for p in (root / "original").glob("*.txt"))


def load_litbank(directory: str | Path) -> list[LitbankWork]:
    """Load every work of a LitBank folder laid out as ``../shared/litbank-dev``."""
    return [load_work(directory, w) for w in work_ids(directory)]


def load_work(directory: str | Path, work_id: str) -> LitbankWork:
    """Load one LitBank work, its annotations as character spans into its original text."""
    root = Path(directory)
    original = root / "original" / f"{work_id}.txt"
    if not original.is_file():
        raise EvalError(Errors.E822.format(work=work_id, what=original))
    text = original.read_text(encoding="utf-8")
    brat = f"{work_id}_brat"
    token_file = next(
        (p for p in (root / "quotations" / f"{brat}.txt", root / "coref" / f"{brat}.txt") if p.is_file()), None
    )
    if token_file is None:
        raise EvalError(Errors.E822.format(work=work_id, what=f"tokenised text (quotations/ or coref/{brat}.txt)"))
    sentences = _read_sentences(token_file)
    spans, aligned = align_tokens(text, sentences)
    work = LitbankWork(
        id=work_id,
        text=text,
        region=_region(spans, aligned, len(text)),
        sentences=tuple(tuple(s) for s in sentences),
        token_spans=tuple(tuple(s) for s in spans),
        token_aligned=tuple(tuple(a) for a in aligned),
    )
    quotes = _read_quotes(work, root / "quotations" / f"{brat}.ann")
    mentions = _read_mentions(work, root / "coref" / f"{brat}.ann")
    entities = _read_entities(work, root / "entities" / f"{brat}.tsv")
    return dataclasses.replace(
        work, quotes=quotes, mentions=mentions, entities=entities, speakers=_speaker_names(work, quotes, mentions)
    )


def _region(spans: list[list[TokenSpan]], aligned: list[list[bool]], n: int) -> tuple[int, int]:
    got = [sp for row, ok in zip(spans, aligned, strict=True) for sp, a in zip(row, ok, strict=True) if a]
    if not got:
        return 0, 0
    return min(s for s, _ in got), max(e for _, e in got)


def _check_token(work: LitbankWork, s: int, t: int, where: str) -> None:
    if not (0 <= s < len(work.sentences) and 0 <= t < len(work.sentences[s])):
        raise EvalError(Errors.E823.format(where=where, s=s, t=t, n=len(work.sentences)))


def _read_quotes(work: LitbankWork, path: Path) -> tuple[GoldQuote, ...]:
    if not path.is_file():
        return ()
    found: list[tuple[str, int, int, int, int]] = []
    speaker: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if f[0] == "QUOTE" and len(f) >= 6:
            found.append((f[1], int(f[2]), int(f[3]), int(f[4]), int(f[5])))
        elif f[0] == "ATTRIB" and len(f) >= 3:
            speaker[f[1]] = f[2]
    out: list[GoldQuote] = []
    for qid, s1, t1, s2, t2 in found:
        _check_token(work, s1, t1, f"{path}: {qid}")
        _check_token(work, s2, t2, f"{path}: {qid}")
        a, b = work.char_span(s1, t1, s2, t2)
        out.append(GoldQuote(a, b, qid=qid, speaker=speaker.get(qid)))
    return tuple(sorted(out, key=lambda q: (q.start_char, q.end_char)))


def _read_mentions(work: LitbankWork, path: Path) -> tuple[GoldMention, ...]:
    if not path.is_file():
        return ()
    raw: list[tuple[str, int, int, int, int, str, str]] = []
    entity: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if f[0] == "MENTION" and len(f) >= 9:
            raw.append((f[1], int(f[2]), int(f[3]), int(f[4]), int(f[5]), f[7], f[8]))
        elif f[0] == "COREF" and len(f) >= 3:
            entity[f[1]] = f[2]
    out: list[GoldMention] = []
    for mid, s1, t1, s2, t2, label, kind in raw:
        _check_token(work, s1, t1, f"{path}: {mid}")
        _check_token(work, s2, t2, f"{path}: {mid}")
        a, b = work.char_span(s1, t1, s2, t2)
        out.append(GoldMention(a, b, mid=mid, entity=entity.get(mid), label=label, kind=kind))
    return tuple(sorted(out, key=lambda m: (m.start_char, -m.end_char)))


def _read_entities(work: LitbankWork, path: Path) -> tuple[GoldEntity, ...]:
    if not path.is_file():
        return ()
    out: list[GoldEntity] = []
    s = t = 0
    open_: dict[int, tuple[str, int, int]] = {}  # layer -> (label, sentence, token) of the open span

    def close(layer: int, s_end: int, t_end: int) -> None:
        label, s0, t0 = open_.pop(layer)
        a, b = work.char_span(s0, t0, s_end, t_end)
        out.append(GoldEntity(a, b, label=label, layer=layer))

    prev: tuple[int, int] | None = None
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if prev is not None:
                for layer in list(open_):
                    close(layer, *prev)
                s, t, prev = s + 1, 0, None
            continue
        cols = line.rstrip("\t").split("\t")[1:]
        _check_token(work, s, t, str(path))
        for layer, tag in enumerate(cols, start=1):
            if layer in open_ and not tag.startswith("I-") and prev is not None:
                close(layer, *prev)
            if tag.startswith("B-") or (tag.startswith("I-") and layer not in open_):
                open_[layer] = (tag[2:], s, t)
        prev = (s, t)
        t += 1
    if prev is not None:
        for layer in list(open_):
            close(layer, *prev)
    return tuple(sorted(out, key=lambda e: (e.start_char, -e.end_char, e.layer)))


def _speaker_names(work: LitbankWork, quotes: Sequence[GoldQuote], mentions: Sequence[GoldMention]) -> dict[str, str]:
    """entity id -> a readable name: its most frequent proper-name mention, else the id's words."""
    speakers = {q.speaker for q in quotes if q.speaker}
    names: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.entity in speakers and m.kind == "PROP":
            names.setdefault(m.entity, Counter())[" ".join(work.text[m.start_char : m.end_char].split())] += 1
    out: dict[str, str] = {}
    for ent in sorted(speakers):
        got = names.get(ent)
        out[ent] = got.most_common(1)[0][0] if got else re.sub(r"-\d+$", "", ent).replace("_", " ")
    return out


# --- running fabula on a work -------------------------------------------------------------


def analysis_window(text: str, lo: int, hi: int, *, context: int = 2000) -> tuple[int, int]:
    """The span fabula reads for an excerpt ``[lo, hi)``: ``context`` more characters each side, cut at paragraphs.

    >>> analysis_window("a\\n\\nbb\\n\\nc", 3, 5, context=1)
    (0, 8)
    """
    a = max(0, lo - context)
    if a > 0:
        brk = text.rfind("\n\n", 0, a)
        a = brk + 2 if brk >= 0 else 0
    b = min(len(text), hi + context)
    brk = text.find("\n\n", b)
    b = brk if brk >= 0 else len(text)
    return a, b


def analyze_work(work: LitbankWork, *, pipeline: Pipeline | None = None, context: int = 2000) -> Story:
    """Run fabula on the work's excerpt (plus ``context`` characters around it, cut at paragraph breaks).

    The returned story's text is ``work.text`` whole and its layers are mapped back into it, so
    its spans compare directly with the gold spans; only predictions inside the analysed
    window are present.
    """
    import fabula

    text = work.text
    a, b = analysis_window(text, *work.region, context=context)
    window = text[a:b]
    story = fabula.analyze(window, pipeline=pipeline)
    return shift_story(story, text, a)


def shift_story(story: Story, text: str, offset: int) -> Story:
    """Re-express a story analysed on ``text[offset:...]`` (through its offset map) as a story of ``text``."""
    m = story.source.offsets
    layers: dict[str, tuple[Span, ...]] = {}
    for name, spans in story.layers.items():
        moved: list[Span] = []
        for sp in spans:
            s, e = m.to_source_span(sp.start_char, sp.end_char)
            moved.append(dataclasses.replace(sp, start_char=s + offset, end_char=max(s, e) + offset))
        layers[name] = tuple(moved)
    characters = tuple(
        dataclasses.replace(c, first_char=None if c.first_char is None else m.to_source(c.first_char) + offset)
        for c in story.characters
    )
    return dataclasses.replace(story, text=text, layers=layers, tokens=None, characters=characters)


# --- as a fabula reference ----------------------------------------------------------------

_KIND = {"PROP": "proper", "NOM": "nominal", "PRON": "pronoun"}
_WORD = re.compile(r"\S+")
_SUBJECT_PRONOUNS = frozenset({"i", "he", "she", "we", "they", "you", "thou", "ye"})
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*$")


def to_reference(work: LitbankWork) -> Reference:
    """The work's gold annotations as a :class:`~fabula.eval.reference.Reference` for scoring.

    Quotes carry no kind (LitBank does not tell speech from thought); mentions are the
    person (``PER``) coreference mentions; characters are the entities with proper-name
    mentions, named by them (used only to map predicted characters to entities);
    ``speaker_pronouns`` are computed as :mod:`fabula.eval.score` defines them.
    """
    from fabula.eval.reference import RefCharacter, Reference, RefMention, RefQuote

    quotes = tuple(RefQuote(q.start_char, q.end_char, speaker=q.speaker) for q in work.quotes)
    mentions = tuple(
        RefMention(m.start_char, m.end_char, entity=m.entity, kind=_KIND.get(m.kind, m.kind.lower()))
        for m in work.mentions
        if m.label == "PER"
    )
    names: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind == "proper" and m.entity:
            names.setdefault(m.entity, set()).add(" ".join(work.text[m.start_char : m.end_char].split()))
    characters = tuple(
        RefCharacter(id=ent, name=max(sorted(ns), key=len), aliases=tuple(sorted(ns)))
        for ent, ns in sorted(names.items())
    )
    return Reference(
        name=work.id,
        text=work.text,
        region=work.region,
        characters=characters,
        outermost_quotes=True,
        quotes=quotes,
        mentions=mentions,
        speaker_pronouns=speaker_pronouns(work.text, quotes, mentions),
    )


def speaker_pronouns(text: str, quotes: Sequence[RefQuote], mentions: Sequence[RefMention]) -> tuple[RefMention, ...]:
    """The subject pronouns that tag a quote's speaker: outside quotes, same paragraph and sentence, within 3 words.

    A gold person mention counts when it is a subject-form pronoun (I, he, she, we, they,
    you, thou, ye), its entity is the quote's speaker, and it lies within the three words
    after the quote (stopping at a sentence end, a paragraph break or the next quote) or
    the three words before it (after the last sentence end, paragraph break or quote).

    >>> from fabula.eval.reference import RefMention, RefQuote
    >>> text = '"Go," he said.\\n\\nShe left. "No," she cried.'
    >>> q = (RefQuote(0, 5, speaker="a"), RefQuote(26, 31, speaker="b"))
    >>> m = (RefMention(6, 8, entity="a", kind="pronoun"), RefMention(16, 19, entity="b", kind="pronoun"),
    ...      RefMention(32, 35, entity="b", kind="pronoun"))
    >>> [text[x.start_char:x.end_char] for x in speaker_pronouns(text, q, m)]
    ['he', 'she']
    """
    pron = sorted(
        (
            m
            for m in mentions
            if m.kind == "pronoun" and m.entity and text[m.start_char : m.end_char].lower() in _SUBJECT_PRONOUNS
        ),
        key=lambda m: m.start_char,
    )
    starts = [m.start_char for m in pron]
    ordered = sorted(quotes, key=lambda q: q.start_char)
    chosen: dict[tuple[int, int], RefMention] = {}
    for k, q in enumerate(ordered):
        if q.speaker is None:
            continue
        prev_end = ordered[k - 1].end_char if k else 0
        next_start = ordered[k + 1].start_char if k + 1 < len(ordered) else len(text)
        windows = []
        # after the quote: up to three words, not past a paragraph break or the next quote
        stop = text.find("\n\n", q.end_char, next_start)
        after = []
        for w in _WORD.finditer(text, q.end_char, next_start if stop < 0 else stop):
            after.append(w)
            if len(after) == 3 or _SENTENCE_END.search(w.group()):
                break
        if after:
            windows.append((q.end_char, after[-1].end()))
        # before it: the three words before, not before a paragraph break or the previous quote
        brk = text.rfind("\n\n", prev_end, q.start_char)
        lo = max(prev_end, brk + 2 if brk >= 0 else prev_end)
        before = list(_WORD.finditer(text, lo, q.start_char))
        ends = [k for k, w in enumerate(before) if _SENTENCE_END.search(w.group())]
        before = before[ends[-1] + 1 :][-3:] if ends else before[-3:]
        if before:
            windows.append((before[0].start(), q.start_char))
        for a, b in windows:
            i = bisect_left(starts, a)
            while i < len(pron) and pron[i].start_char < b:
                m = pron[i]
                if m.end_char <= b and m.entity == q.speaker:
                    chosen[(m.start_char, m.end_char)] = m
                i += 1
    return tuple(chosen[k] for k in sorted(chosen))
