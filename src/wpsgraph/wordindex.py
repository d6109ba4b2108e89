"""Which of many word patterns may match a text, found from the text's words before any
regular expression runs.

The linker matches every action's text against every theme rule and every instrument's
names; most of them match few texts, and Python's regular expressions try each of their
alternatives at each position. A pattern here is given by its terms: a theme rule's
(``zero toleran*``: words, the last one a prefix when it ends in ``*``) or an
instrument's names (literal). In any text a term matches, each run of word characters
(``\\w``) in the term stands as a whole word (bounded by the term's own separators, its
word boundaries or a non-word character in it), except the last run of a prefix term,
which starts a word. So an ASCII text need only be tried against the patterns with a
term whose words it has, lower-cased. A text with other characters is tried against all
of them (lower-casing may not show how the matching folds their case: ``ſ`` matches
``s``), as is a pattern with a term that is not ASCII or has no word in it.

>>> index = WordIndex([("sea", ["sexual exploitation"]), ("trafficking", ["traffick*"])])
>>> index.candidates("Trafficking in persons; sexual violence")
['trafficking']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Needs:
    """What a text must hold for a term to match in it: whole words and, for a prefix
    term, a word's start (lower-cased).

    >>> Needs.of("zero toleran*"), Needs.of("women's rights")
    (Needs(words=('zero',), start='toleran'), Needs(words=('women', 's', 'rights'), start=''))
    """

    words: tuple[str, ...]
    start: str

    @classmethod
    def of(cls, term: str) -> Needs | None:
        """None for a term these cannot describe (not ASCII, or no word in it)."""
        runs = _WORD.findall(term.rstrip("*").lower())
        if not runs or not term.isascii():
            return None
        if term.endswith("*"):
            return cls(tuple(runs[:-1]), runs[-1])
        return cls(tuple(runs), "")

    def met(self, words: set[str], low: str) -> bool:
        return all(w in words for w in self.words) and self.start in low


class WordIndex(Generic[K]):
    """Patterns (each a key and its terms) indexed by the words their terms need."""

    def __init__(self, patterns: Sequence[tuple[K, Sequence[str]]]) -> None:
        self.keys = [key for key, _ in patterns]
        # by the first word a term needs: its pattern and what else it needs
        self.by_word: dict[str, list[tuple[int, Needs]]] = {}
        self.by_start: list[tuple[int, Needs]] = []  # one-word prefix terms
        self.always: set[int] = set()
        for i, (_, terms) in enumerate(patterns):
            needs = [Needs.of(t) for t in terms]
            if any(n is None for n in needs):
                self.always.add(i)
                continue
            for n in (n for n in needs if n is not None):
                if n.words:
                    self.by_word.setdefault(n.words[0], []).append((i, n))
                else:
                    self.by_start.append((i, n))

    def candidates(self, text: str) -> list[K]:
        """The keys of the patterns that may match ``text``, in their order."""
        if not text.isascii():
            return self.keys
        low = text.lower()
        words = set(_WORD.findall(low))
        chosen = set(self.always)
        for i, needs in self.by_start:
            if i not in chosen and needs.met(words, low):
                chosen.add(i)
        for word in words:
            for i, needs in self.by_word.get(word, ()):
                if i not in chosen and needs.met(words, low):
                    chosen.add(i)
        return [self.keys[i] for i in sorted(chosen)]
