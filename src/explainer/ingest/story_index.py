"""The fingerprints of every seed ingested so far, in one array, and the best match for a new one.

A new seed is compared with all of them at once (numpy: 128 two-byte values a seed, about a
millisecond for 10,000 seeds), so no candidate is missed the way banded LSH misses a copy cut
to a third of the text (its Jaccard similarity is low; its containment is not). Memory is the
signatures themselves: 256 bytes and a key a seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer.ingest.story_fingerprint import (
    NUM_PERM,
    SAME_STORY,
    Fingerprint,
    containment_from,
    jaccard_from_agreement,
)


@dataclass(frozen=True)
class Match:
    key: str  # the seed it matched
    score: float  # estimated containment


class StoryIndex:
    def __init__(self) -> None:
        self._signatures = np.zeros((64, NUM_PERM), dtype=np.uint16)
        self._sizes = np.zeros(64, dtype=np.int64)
        self._alive = np.zeros(64, dtype=bool)
        self._keys: list[str] = []
        self._row: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._row)

    def add(self, key: str, fingerprint: Fingerprint) -> None:
        """Index a seed's fingerprint (replacing what was indexed under that key)."""
        row = self._row.get(key)
        if row is None:
            row = len(self._keys)
            if row == len(self._sizes):
                self._grow()
            self._keys.append(key)
            self._row[key] = row
        self._signatures[row] = fingerprint.signature
        self._sizes[row] = fingerprint.size
        self._alive[row] = fingerprint.size > 0

    def discard(self, key: str) -> None:
        row = self._row.pop(key, None)
        if row is not None:
            self._alive[row] = False

    def best_match(self, fingerprint: Fingerprint, threshold: float = SAME_STORY) -> Match | None:
        """The indexed seed whose text shares the most with this one, if it reaches the
        threshold."""
        count = len(self._keys)
        if not count or fingerprint.size == 0:
            return None
        agreement = np.count_nonzero(
            self._signatures[:count] == fingerprint.signature, axis=1
        ) / float(NUM_PERM)
        scores = containment_from(
            jaccard_from_agreement(agreement), self._sizes[:count], fingerprint.size
        )
        scores = np.where(self._alive[:count], scores, 0.0)
        best = int(np.argmax(scores))
        if scores[best] < threshold:
            return None
        return Match(self._keys[best], float(scores[best]))

    def _grow(self) -> None:
        size = len(self._sizes) * 2
        signatures = np.zeros((size, NUM_PERM), dtype=np.uint16)
        signatures[: len(self._sizes)] = self._signatures
        sizes = np.zeros(size, dtype=np.int64)
        sizes[: len(self._sizes)] = self._sizes
        alive = np.zeros(size, dtype=bool)
        alive[: len(self._sizes)] = self._alive
        self._signatures, self._sizes, self._alive = signatures, sizes, alive
