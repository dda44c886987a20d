"""The English vocabulary that spelling and dialect normalisation check words against (issue 6).

The word list (``fabula/data/words.txt.gz``, built by ``fabula/data/make_wordlist.py``) holds
dictionary headwords and the forms seen in public-domain novels, with counts for the
commoner ones. :meth:`Lexicon.known` also accepts regular inflections of a known word
(``hesitated`` from ``hesitate``), British ``-ise`` / ``-our`` spellings and hyphenated compounds;
:meth:`Lexicon.suggest` proposes the likeliest known word one or two edits away.

>>> lex = lexicon()
>>> lex.known("hesitated"), lex.known("hesistated")
(True, False)
>>> lex.suggest("hesistated")
'hesitated'
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

#: Contractions and clitics a plain word list lacks.
CONTRACTIONS: frozenset[str] = frozenset(
    """don't won't can't couldn't wouldn't shouldn't didn't doesn't isn't aren't wasn't weren't hasn't haven't
    hadn't mustn't needn't mightn't shan't ain't i'm i've i'll i'd you're you've you'll you'd he's he'll he'd
    she's she'll she'd it's it'll it'd we're we've we'll we'd they're they've they'll they'd that's that'll
    that'd there's there'll there'd here's what's what'll what'd who's who'll who'd where's where'd when's
    why's how's how'd let's o'clock ma'am y'all c'mon""".split()
)
_CLITICS = ("'s", "'d", "'ll", "'re", "'ve", "'m")


#: Words seen this often in the reference novels are indexed for suggestions (rarer ones are no good guess).
_INDEXED = 3


class Lexicon:
    """A set of known words with counts, and rules for their regular inflections."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self._index: dict[str, tuple[str, ...]] | None = None

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def count(self, word: str) -> int:
        """How often ``word`` was seen in the reference novels (0 when rare or unseen)."""
        return self.counts.get(word, 0)

    def known(self, word: str) -> bool:
        """True when ``word`` (any case) is a word: listed, a regular inflection, or a compound of words.

        >>> lex = lexicon()
        >>> [lex.known(w) for w in ("Blushing", "fox-like", "colour", "couldn't", "Idzuru")]
        [True, True, True, True, False]
        """
        w = word.lower().replace("\u2019", "'")
        if w in self.counts or w in CONTRACTIONS:
            return True
        if "-" in w:
            parts = [p for p in w.split("-") if p]
            return bool(parts) and all(self.known(p) for p in parts)
        if "'" in w:
            head, _, tail = w.rpartition("'")
            if "'" + tail in _CLITICS or (tail == "" and head.endswith("s")):
                return self.known(head)
            return False
        if any(b in self.counts for b in _bases(w)):
            return True
        if "is" in w or "our" in w:  # British spellings: realised, colourful
            us = w.replace("is", "iz").replace("our", "or")
            if us in self.counts or any(b in self.counts for b in _bases(us)):
                return True
        return self._compound(w)

    def _compound(self, w: str) -> bool:
        """Two common words written as one: ``typewritten``, ``bookshelves``, ``skyline``."""
        if len(w) < 7:
            return False
        for i in range(3, len(w) - 2):
            head, tail = w[:i], w[i:]
            if self.counts.get(head, 0) < 3:
                continue
            if self.counts.get(tail, 0) >= 3 or any(self.counts.get(b, 0) >= 3 for b in _bases(tail)):
                return True
        return False

    def suggest(self, word: str, *, max_edits: int = 2, min_count: int = _INDEXED) -> str | None:
        """The likeliest common word within ``max_edits`` edits of ``word``, or None.

        Only words seen at least ``min_count`` (at least 3) times in the reference novels are suggested. The
        nearest wins, then the commonest; two edits are allowed only for words of seven letters or
        more. Candidates come from an index of single deletions (the SymSpell idea), so a look-up
        costs a few dictionary probes rather than thousands of generated edits.

        >>> lexicon().suggest("recieved"), lexicon().suggest("hesistated")
        ('received', 'hesitated')
        """
        w = word.lower()
        index = self._deletion_index()
        cands: set[str] = set()
        for d in (w, *_deletes(w)):
            cands.update(index.get(d, ()))
        limit = max_edits if len(w) >= 7 else min(max_edits, 1)
        scored = []
        for c in cands:
            n = self.counts[c]
            if c != w and n >= min_count:
                dist = _edit_distance(w, c, limit)
                if dist <= limit:
                    scored.append((dist, -n, c))
        return min(scored)[2] if scored else None

    def _deletion_index(self) -> dict[str, tuple[str, ...]]:
        if self._index is None:
            index: dict[str, list[str]] = {}
            for w, n in self.counts.items():
                if n >= _INDEXED:
                    for d in (w, *_deletes(w)):
                        index.setdefault(d, []).append(w)
            self._index = {k: tuple(v) for k, v in index.items()}
        return self._index


def _deletes(w: str) -> set[str]:
    return {w[:i] + w[i + 1 :] for i in range(len(w))}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (optimal string alignment), giving up past ``limit``.

    >>> edit_distance("hesistated", "hesitated"), edit_distance("abc", "xyz", 1)
    (1, 2)
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


_edit_distance = edit_distance


def _bases(w: str) -> list[str]:
    """Possible base forms of ``w`` under English's regular inflection and spelling variants."""
    out: list[str] = []
    n = len(w)
    if n > 3 and w.endswith("s"):
        out.append(w[:-1])
        if w.endswith("ves"):
            out += [w[:-3] + "f", w[:-3] + "fe"]  # shelves -> shelf, knives -> knife
        if w.endswith("es"):
            out.append(w[:-2])
        if w.endswith("ies"):
            out.append(w[:-3] + "y")
    for suf in ("ed", "ing", "er", "est", "en"):
        if n > len(suf) + 2 and w.endswith(suf):
            stem = w[: -len(suf)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # stopped -> stop
            if stem.endswith("i"):
                out.append(stem[:-1] + "y")  # carried -> carry
            if stem.endswith("ck"):
                out.append(stem[:-1])  # panicked -> panic
    if n > 5 and w.endswith("ly"):
        out += [w[:-2], w[:-3] + "y" if w.endswith("ily") else w[:-2] + "e", w[:-2] + "le"]
    for suf in ("ness", "less", "ful", "ment", "able", "ish", "like"):
        if n > len(suf) + 2 and w.endswith(suf):
            out.append(w[: -len(suf)])
    for pre in ("un", "re", "non", "over", "under", "out", "mis", "dis", "pre"):
        if n > len(pre) + 3 and w.startswith(pre):
            out.append(w[len(pre) :])
    if "is" in w:
        out.append(w.replace("is", "iz"))  # realise -> realize
    if "our" in w:
        out.append(w.replace("our", "or"))  # colour -> color
    return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shared English lexicon (loaded once)."""
    ref = resources.files("fabula") / "data" / "words.txt.gz"
    counts: dict[str, int] = {}
    with gzip.open(ref.open("rb"), "rt", encoding="utf-8") as fh:
        for line in fh:
            w, _, n = line.rstrip("\n").partition("\t")
            counts[w] = int(n) if n else 0
    return Lexicon(counts)
