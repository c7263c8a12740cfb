"""Read a seed file (scraped text or a saved HTML page) into a SeedArticle."""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

from explainer.ingest.decode import SeedError, decode_text
from explainer.ingest.html_seed import parse_html_seed
from explainer.ingest.text_seed import parse_text_seed
from explainer.model import SeedArticle
from explainer.text.markdown_text import escape_markdown, markdown_to_text
from explainer.text.safe_markup import render_markdown_html, unsafe_markup

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
        seed = ensure_inert(parse_html_seed(data, path=str(path), source=path.name))
    else:
        text = decode_text(data)
        if not text.strip():
            raise SeedError("no text (whitespace only)")
        seed = parse_text_seed(text, path=str(path), source=path.name)
    return limit_title(seed)


def ensure_inert(seed: SeedArticle) -> SeedArticle:
    """Render the Markdown made from a page as the site will, and check it is only text, links
    and images. It always is when html_markdown escapes correctly; if ever it is not, the
    article falls back to plain paragraphs rather than carry a page's markup onto the site."""
    problems = unsafe_markup(render_markdown_html(seed.body))
    if problems:
        text = markdown_to_text(seed.body)
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
        seed.body = "\n\n".join(escape_markdown(p) for p in paragraphs if p)
        shown = ", ".join(dict.fromkeys(problems[:5]))
        seed.warnings.append(f"the article would have carried markup ({shown}); kept as plain text")
    return seed


MAX_TITLE = 200
_ELLIPSIS = "\u2026"


def limit_title(seed: SeedArticle) -> SeedArticle:
    """A title longer than MAX_TITLE characters is cut at a word boundary (with an ellipsis) and
    kept whole as the body's first paragraph, so no words are lost."""
    title = " ".join(seed.title.split())
    if len(title) <= MAX_TITLE:
        return seed
    cut = title[: MAX_TITLE - 1]
    if " " in cut[MAX_TITLE // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    seed.title = cut.rstrip(" ,;:-\u2013\u2014") + _ELLIPSIS
    seed.body = f"{escape_markdown(title)}\n\n{seed.body}"
    seed.warnings.append(
        f"title is {len(title)} characters; shortened to {len(seed.title)} "
        "(the full text opens the article)"
    )
    return seed


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
