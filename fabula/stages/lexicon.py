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
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

_LETTERS = "abcdefghijklmnopqrstuvwxyz"

#: Contractions and clitics a plain word list lacks.
CONTRACTIONS: frozenset[str] = frozenset(
    """don't won't can't couldn't wouldn't shouldn't didn't doesn't isn't aren't wasn't weren't hasn't haven't
    hadn't mustn't needn't mightn't shan't ain't i'm i've i'll i'd you're you've you'll you'd he's he'll he'd
    she's she'll she'd it's it'll it'd we're we've we'll we'd they're they've they'll they'd that's that'll
    that'd there's there'll there'd here's what's what'll what'd who's who'll who'd where's where'd when's
    why's how's how'd let's o'clock ma'am y'all c'mon""".split()
)
_CLITICS = ("'s", "'d", "'ll", "'re", "'ve", "'m")


class Lexicon:
    """A set of known words with counts, and rules for their regular inflections."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

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
            if self.counts.get(head, 0) >= 3 and (self.counts.get(tail, 0) >= 3 or any(self.counts.get(b, 0) >= 3 for b in _bases(tail))):
                return True
        return False

    def suggest(self, word: str, *, max_edits: int = 2, min_count: int = 0) -> str | None:
        """The likeliest known word within ``max_edits`` edits of ``word``, or None.

        Candidates one edit away come first; among them the commonest wins. Two edits are tried
        only for words of seven letters or more, against the commoner words. A candidate seen
        fewer than ``min_count`` times in the reference novels (counting its base form) is passed over.

        >>> lexicon().suggest("recieved")
        'received'
        """
        w = word.lower()
        best = self._best(_edits1(w), min_count)
        if best is None and max_edits >= 2 and len(w) >= 7:
            near = (e2 for e1 in _edits1(w) for e2 in _edits1(e1) if self.counts.get(e2, 0) > max(min_count, 1))
            best = self._best(near, min_count)
        return best

    def _best(self, candidates: Iterable[str], min_count: int) -> str | None:
        seen: dict[str, int] = {}
        for c in candidates:
            if c in seen or not c:
                continue
            if c in self.counts:  # listed forms only: rule-made inflections are no suggestion
                seen[c] = self.counts[c] + 1
        seen = {c: n for c, n in seen.items() if n > min_count}
        if not seen:
            return None
        return max(seen, key=lambda c: (seen[c], c))


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


def _edits1(w: str) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts)


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
