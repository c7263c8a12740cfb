"""What tells that two seeds are one story: a MinHash fingerprint of an extracted body.

The body's plain text is cut into overlapping runs of three words (shingles, case-folded, the
title left out: outlets write their own headlines). A MinHash signature of those shingles
(128 permutations, the low 16 bits of each kept: b-bit minwise hashing) and the number of
distinct shingles make the fingerprint; it is all that is compared, so the decision
can be checked from outside (`explainer extract --json` prints it) and earlier articles never
need to be read again.

Two versions of one story share most of the shorter version's shingles whatever else each
carries: furniture left around the text, a byline, a few edited words, or paragraphs the shorter
one lacks (a truncated copy). So the measure is containment, |A ∩ B| / min(|A|, |B|),
estimated from the signatures' Jaccard similarity J and the two sizes:
|A ∩ B| = J (|A| + |B|) / (1 + J). Jaccard alone would call a copy cut to a third a different
story. SAME_STORY is the containment from which two seeds count as one story: measured on
labelled pairs from the dev corpora, tuned on folds split by story (`invoke eval-duplicates`,
eval/duplicates.py); a new value needs that run, not a guess.

The MinHash is datasketch's "affine32" scheme (its default since 2.0), computed here in one
numpy step for all of a body's shingles: each shingle hashed once (the first four bytes of its
SHA-1, mixed by the MurmurHash3 finaliser), then 128 permutations h -> a*h + b mod 2^32 drawn
from a seeded generator. Owning these few lines keeps fingerprints identical whichever
datasketch version is installed (1.x used another scheme: its fingerprints would not match the
ones in a manifest) and spares ingestion datasketch's import (scipy, about half a second).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np

SCHEME = "minhash3w128x16"
SHINGLE_WORDS = 3
NUM_PERM = 128
_BITS = 16
_MASK = (1 << _BITS) - 1
# Two 16-bit values agree by chance with this probability; removed from the estimate.
_CHANCE = 1.0 / (1 << _BITS)
# Measured by eval/duplicates.py (see the module's doc); containment from which two seeds
# tell the same story.
SAME_STORY = 0.70
_WORD = re.compile(r"\w+")


class FingerprintError(ValueError):
    """A fingerprint string that this version cannot read."""


@dataclass(frozen=True, eq=False)
class Fingerprint:
    signature: np.ndarray  # NUM_PERM uint16 values
    size: int  # distinct shingles in the body

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fingerprint):
            return NotImplemented
        return self.size == other.size and np.array_equal(self.signature, other.signature)

    __hash__ = None  # type: ignore[assignment]  # mutable array inside

    def to_text(self) -> str:
        """`minhash3w128x16:<shingles>:<signature as hex>`: stable, and what the manifest and
        `explainer extract --json` hold."""
        return f"{SCHEME}:{self.size}:{self.signature.astype('>u2').tobytes().hex()}"

    @classmethod
    def from_text(cls, text: str) -> Fingerprint:
        try:
            scheme, size, hexed = text.split(":")
            signature = np.frombuffer(bytes.fromhex(hexed), dtype=">u2").astype(np.uint16)
            count = int(size)
        except ValueError as error:
            raise FingerprintError(f"not a fingerprint: {text[:40]!r}") from error
        if scheme != SCHEME or len(signature) != NUM_PERM or count < 0:
            raise FingerprintError(f"not a {SCHEME} fingerprint: {text[:40]!r}")
        return cls(signature, count)


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str) -> set[bytes]:
    tokens = [token.encode("utf-8") for token in words(text)]
    if len(tokens) <= SHINGLE_WORDS:
        return {b" ".join(tokens)} if tokens else set()
    return set(map(b" ".join, zip(*(tokens[i:] for i in range(SHINGLE_WORDS)), strict=False)))


def fingerprint_text(text: str) -> Fingerprint:
    """The fingerprint of a body's plain text."""
    found = shingles(text)
    return Fingerprint(_signature(found), len(found))


def fingerprint_body(body_markdown: str) -> Fingerprint:
    """The fingerprint of an extracted body (Markdown, as the seed readers return it)."""
    from explainer.text.markdown_text import markdown_to_text

    return fingerprint_text(markdown_to_text(body_markdown))


_PERMUTATION_SEED = 1
# MurmurHash3's 32-bit finaliser: shifts and multipliers.
_FMIX = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """(a, b) of the 128 permutations h -> a*h + b mod 2^32 (a odd: a bijection), drawn as
    datasketch draws them for MinHash(num_perm=128, seed=1)."""
    generator = np.random.RandomState(_PERMUTATION_SEED)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _signature(found: set[bytes]) -> np.ndarray:
    """The low 16 bits of each of the 128 minimum permuted hashes (all ones for no shingle)."""
    if not found:
        return np.full(NUM_PERM, _MASK, dtype=np.uint16)
    sha1 = hashlib.sha1
    hashes = np.frombuffer(
        b"".join([sha1(shingle).digest()[:4] for shingle in found]), dtype="<u4"
    ).astype(np.uint32)
    s1, m1, s2, m2, s3 = _FMIX
    hashes ^= hashes >> np.uint32(s1)
    hashes *= np.uint32(m1)
    hashes ^= hashes >> np.uint32(s2)
    hashes *= np.uint32(m2)
    hashes ^= hashes >> np.uint32(s3)
    a, b = _permutations()
    permuted = hashes[:, None] * a
    permuted += b
    return (permuted.min(axis=0) & _MASK).astype(np.uint16)


def jaccard_from_agreement(agreement: np.ndarray | float) -> np.ndarray | float:
    """Jaccard similarity from the share of signature positions that agree."""
    return np.clip((agreement - _CHANCE) / (1.0 - _CHANCE), 0.0, 1.0)


def containment_from(jaccard, size_a, size_b):
    """|A ∩ B| / min(|A|, |B|) from the Jaccard similarity and the sizes (arrays or numbers)."""
    smaller = np.minimum(size_a, size_b)
    shared = jaccard * (np.asarray(size_a) + size_b) / (1.0 + jaccard)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(smaller > 0, np.clip(shared / np.maximum(smaller, 1), 0.0, 1.0), 0.0)


def containment(a: Fingerprint, b: Fingerprint) -> float:
    agreement = float(np.count_nonzero(a.signature == b.signature)) / NUM_PERM
    return float(containment_from(jaccard_from_agreement(agreement), a.size, b.size))


def same_story(a: Fingerprint, b: Fingerprint, threshold: float = SAME_STORY) -> bool:
    return containment(a, b) >= threshold
