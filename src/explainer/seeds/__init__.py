"""Read a seed file (scraped text or a saved HTML page) into a SeedArticle."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from explainer.model import SeedArticle
from explainer.seeds.decode import SeedError, decode_text
from explainer.seeds.html import parse_html_seed
from explainer.seeds.text import parse_text_seed

__all__ = ["HTML_SUFFIXES", "SEED_SUFFIXES", "SeedError", "is_seed_file", "read_seed"]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
SEED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
_MAX_BYTES = 50 * 1024 * 1024


def seed_suffix(path: Path) -> str:
    """The suffix that says what a seed holds: "x.html.gz" -> ".html" (it is gunzipped first)."""
    suffix = path.suffix.lower()
    if suffix == ".gz":
        return Path(path.stem).suffix.lower()
    return suffix


def is_seed_file(path: Path) -> bool:
    return seed_suffix(path) in SEED_SUFFIXES


def read_seed(path: str | Path) -> SeedArticle:
    """Parse one seed file. Raises SeedError (or OSError) with a message naming the problem."""
    path = Path(path)
    data = _read_bytes(path)
    if seed_suffix(path) in HTML_SUFFIXES:
        return parse_html_seed(data, path=str(path), source=path.name)
    text = decode_text(data)
    if not text.strip():
        raise SeedError("no text (whitespace only)")
    return parse_text_seed(text, path=str(path), source=path.name)


def _read_bytes(path: Path) -> bytes:
    size = path.stat().st_size
    if size == 0:
        raise SeedError("empty file")
    if size > _MAX_BYTES:
        raise SeedError(f"file too large ({size} bytes; the limit is {_MAX_BYTES})")
    if path.suffix.lower() != ".gz":
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise SeedError(f"not a readable gzip file ({error})") from error
    if len(data) > _MAX_BYTES:
        raise SeedError(f"too large once unzipped (over {_MAX_BYTES} bytes)")
    if not data:
        raise SeedError("empty file (once unzipped)")
    return data
