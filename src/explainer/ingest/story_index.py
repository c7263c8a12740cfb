"""The fingerprints of every seed ingested so far, in compact arrays, and the best match for a
new one.

A new seed is compared with all of them at once (numpy: 128 two-byte values a seed, about half
a millisecond for 10,000 seeds), so no candidate is missed the way banded LSH misses a copy cut
to a third of the text (its Jaccard similarity is low; its containment is not). The index is
where a run keeps the fingerprints (the manifest writes them from here): 256 bytes of signature,
the shingle count and the seed's name a seed, in blocks of 4,096 rows that are never copied
when more come.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explainer.ingest.story_fingerprint import (
    NUM_PERM,
    SAME_STORY,
    SCHEME,
    Fingerprint,
    containment_from,
    jaccard_from_agreement,
)

_BLOCK = 4096
_BYTE_LANES = np.uint64(0x0101010101010101)


def _agreeing(signatures: np.ndarray, signature: np.ndarray) -> np.ndarray:
    """How many of its 128 values each row shares with `signature`, at the same positions.

    The row's 128 yes/no bytes are read as 16 eight-byte words and added up word-wise (no byte
    passes 16, so none carries into the next); multiplying by 0x0101...01 then adds the eight
    bytes into the top one: quicker than summing the bytes one by one."""
    lanes = (signatures == signature).view(np.uint64).sum(axis=1, dtype=np.uint64)
    return (lanes * _BYTE_LANES) >> np.uint64(56)


@dataclass(frozen=True)
class Match:
    key: str  # the seed it matched
    score: float  # estimated containment


class StoryIndex:
    def __init__(self) -> None:
        self._signatures: list[np.ndarray] = []  # blocks of _BLOCK x NUM_PERM uint16
        self._sizes: list[np.ndarray] = []  # blocks of _BLOCK int32 (0: no text or discarded)
        self._keys: list[str] = []
        self._row: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, key: str) -> bool:
        return key in self._row

    def add(self, key: str, fingerprint: Fingerprint) -> bool:
        """Index a seed's fingerprint (replacing what was indexed under that key); True when
        that changed what the index holds for the key."""
        row = self._row.get(key)
        if row is None:
            row = len(self._keys)
            if row == len(self._sizes) * _BLOCK:
                self._signatures.append(np.zeros((_BLOCK, NUM_PERM), dtype=np.uint16))
                self._sizes.append(np.zeros(_BLOCK, dtype=np.int32))
            self._keys.append(key)
            self._row[key] = row
        elif self.fingerprint(key) == fingerprint:
            return False
        block, at = divmod(row, _BLOCK)
        self._signatures[block][at] = fingerprint.signature
        self._sizes[block][at] = fingerprint.size
        return True

    def fingerprint(self, key: str) -> Fingerprint | None:
        row = self._row.get(key)
        if row is None:
            return None
        block, at = divmod(row, _BLOCK)
        return Fingerprint(self._signatures[block][at].copy(), int(self._sizes[block][at]))

    def fingerprint_text(self, key: str) -> str | None:
        """Fingerprint.to_text() of the key's fingerprint, straight from the arrays."""
        row = self._row.get(key)
        if row is None:
            return None
        block, at = divmod(row, _BLOCK)
        signature = self._signatures[block][at].astype(">u2").tobytes().hex()
        return f"{SCHEME}:{int(self._sizes[block][at])}:{signature}"

    def discard(self, key: str) -> None:
        row = self._row.pop(key, None)
        if row is not None:
            self._sizes[row // _BLOCK][row % _BLOCK] = 0

    def best_match(self, fingerprint: Fingerprint, threshold: float = SAME_STORY) -> Match | None:
        """The indexed seed whose text shares the most with this one, if it reaches the
        threshold."""
        count = len(self._keys)
        if not count or fingerprint.size == 0:
            return None
        best_score, best_row = -1.0, -1
        for block, start in enumerate(range(0, count, _BLOCK)):
            rows = min(_BLOCK, count - start)
            sizes = self._sizes[block][:rows]
            agreement = _agreeing(self._signatures[block][:rows], fingerprint.signature) / float(
                NUM_PERM
            )
            scores = containment_from(jaccard_from_agreement(agreement), sizes, fingerprint.size)
            at = int(np.argmax(scores))
            if scores[at] > best_score:
                best_score, best_row = float(scores[at]), start + at
        if best_score < threshold:
            return None
        return Match(self._keys[best_row], best_score)
