"""Read a seed file (scraped text or a saved HTML page) into a SeedArticle."""

from __future__ import annotations

from pathlib import Path

from explainer.model import SeedArticle
from explainer.seeds.decode import SeedError, decode_text
from explainer.seeds.text import parse_text_seed

__all__ = ["SEED_SUFFIXES", "SeedError", "read_seed"]

SEED_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm"})
_MAX_BYTES = 50 * 1024 * 1024


def read_seed(path: str | Path) -> SeedArticle:
    """Parse one seed file. Raises SeedError (or OSError) with a message naming the problem."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise SeedError("empty file")
    if size > _MAX_BYTES:
        raise SeedError(f"file too large ({size} bytes; the limit is {_MAX_BYTES})")
    data = path.read_bytes()
    text = decode_text(data)
    if not text.strip():
        raise SeedError("no text (whitespace only)")
    return parse_text_seed(text, path=str(path), source=path.name)
