"""Whole-word, leftmost-longest phrase matching for gazetteers (Aho-Corasick, so it stays fast)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    kind: str
    key: str
    surface: str


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def fold_case(text: str) -> str:
    """Lower-case without changing the string's length, so match offsets stay valid."""
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class PhraseIndex:
    """Phrases of several kinds (country, mineral, block, ...), matched as whole words.

    Case-sensitive phrases are matched as written (and in capitals, for all-caps headlines);
    case-insensitive ones against a lower-cased copy. Overlapping candidates resolve to the
    leftmost, then the longest; on a tie a `block` phrase wins, so a phrase such as
    "Gulf of Mexico" can hide the country inside it. A block never swallows the start of a
    real phrase that runs past its end ("in French" does not hide "French Guiana").
    """

    BLOCK = "block"

    def __init__(self) -> None:
        self._exact = ahocorasick.Automaton()
        self._folded = ahocorasick.Automaton()
        self._exact_payloads: dict[str, list[tuple[str, str]]] = {}
        self._folded_payloads: dict[str, list[tuple[str, str]]] = {}
        self._built = False

    def add(self, phrase: str, kind: str, key: str, *, case_sensitive: bool) -> None:
        phrase = " ".join(phrase.split())
        if not phrase:
            return
        if case_sensitive:
            self._add(self._exact_payloads, phrase, kind, key)
            upper = phrase.upper()
            if upper != phrase and sum(c.isalpha() for c in phrase) >= 4:
                self._add(self._exact_payloads, upper, kind, key)
        else:
            self._add(self._folded_payloads, fold_case(phrase), kind, key)

    def contains(self, phrase: str, *, case_sensitive: bool) -> bool:
        """Whether the phrase is already indexed (of any kind)."""
        phrase = " ".join(phrase.split())
        if case_sensitive:
            return phrase in self._exact_payloads
        return fold_case(phrase) in self._folded_payloads

    @staticmethod
    def _add(table: dict[str, list[tuple[str, str]]], phrase: str, kind: str, key: str) -> None:
        payloads = table.setdefault(phrase, [])
        if (kind, key) not in payloads:
            payloads.append((kind, key))

    def build(self) -> PhraseIndex:
        for automaton, table in (
            (self._exact, self._exact_payloads),
            (self._folded, self._folded_payloads),
        ):
            for phrase, payloads in table.items():
                automaton.add_word(phrase, (len(phrase), tuple(payloads)))
            if table:
                automaton.make_automaton()
        self._built = True
        return self

    def find(self, text: str, kinds: Iterable[str] | None = None) -> list[Match]:
        """Non-overlapping whole-word matches in text order."""
        if not self._built:
            raise RuntimeError("PhraseIndex.build() was not called")
        candidates = self._candidates(text, set(kinds) if kinds is not None else None)
        matches: list[Match] = []
        taken_until = -1
        for index, (start, negative_length, _priority, kind, key) in enumerate(candidates):
            end = start - negative_length
            if start < taken_until:
                continue
            if kind == self.BLOCK and _overrun(candidates, index, end):
                continue  # "in French" must not swallow "French Guiana"
            taken_until = end
            if kind != self.BLOCK:
                matches.append(Match(start, end, kind, key, text[start:end]))
        return matches

    def _candidates(
        self, text: str, wanted: set[str] | None
    ) -> list[tuple[int, int, int, str, str]]:
        """Every whole-word phrase found, as (start, -length, priority, kind, key), sorted so
        the leftmost, then the longest, then a block comes first."""
        candidates: list[tuple[int, int, int, str, str]] = []
        for automaton, haystack, table in (
            (self._exact, text, self._exact_payloads),
            (self._folded, fold_case(text), self._folded_payloads),
        ):
            if not table:
                continue
            for end_index, (length, payloads) in automaton.iter(haystack):
                start, end = end_index - length + 1, end_index + 1
                if not _whole_word(text, start, end):
                    continue
                for kind, key in payloads:
                    if kind == self.BLOCK:
                        candidates.append((start, -(end - start), 0, kind, key))
                    elif wanted is None or kind in wanted:
                        candidates.append((start, -(end - start), 1, kind, key))
        candidates.sort()
        return candidates


def _overrun(candidates: list[tuple[int, int, int, str, str]], index: int, end: int) -> bool:
    """Whether a real (non-block) phrase starts inside a block and runs past its end."""
    for start, negative_length, _priority, kind, _key in candidates[index + 1 :]:
        if start >= end:
            return False
        if kind != PhraseIndex.BLOCK and start - negative_length > end:
            return True
    return False


def _whole_word(text: str, start: int, end: int) -> bool:
    if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
        return False
    return not (end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]))
