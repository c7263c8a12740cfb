"""Markdown to HTML for the site: CommonMark (cmark-gfm, in C) with Python-Markdown's dialect kept.

Converting Markdown was most of a cold build's reading time with Python-Markdown (~2.3 ms an
article, against ~0.05 ms for cmark-gfm). The site's Markdown is CommonMark with GitHub's
tables, footnotes and smart punctuation, and ids on headings as Python-Markdown's `toc`
extension makes them, so links to a section keep working. A document written with
Python-Markdown's own extensions (`{: .class}` attribute lists, `*[ABBR]:` abbreviations,
definition lists, `markdown="1"` blocks, `[TOC]`) is converted by Python-Markdown with the
MARKDOWN setting, as before: an author's file never loses what it meant.

The metadata header ("Key: value" lines up to the first blank line) is read the way
Python-Markdown's `meta` extension reads it (`explainer.text.front_matter`).
"""

from __future__ import annotations

import ctypes
import re
from functools import cache
from html import unescape
from typing import Any

from cmarkgfm import _cmark
from cmarkgfm import cmark as commonmark
from cmarkgfm.cmark import Options
from markdown.extensions.toc import slugify, unique

ENGINES = ("commonmark", "python-markdown")

_OPTIONS = Options.CMARK_OPT_SMART | Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_UNSAFE
# Raw HTML passes through as Python-Markdown lets it (the validate plugin judges it); no
# autolinking of bare URLs or ~~strikethrough~~, which Python-Markdown does not do either.
_EXTENSIONS = ["table"]

# Python-Markdown syntax that CommonMark would show as text.
_PYTHON_MARKDOWN_ONLY = re.compile(
    r"\{:?\s*[#.][\w-][^}\n]*\}\s*$"  # attribute list: "## Title {: #id }", "{.lead}"
    r"|^\{:[^}\n]*\}\s*$"  # block attribute list on its own line
    r"|^\*\[[^\]\n]+\]:"  # abbreviation
    r"|^:[ \t]+\S"  # definition list
    r"|\bmarkdown=[\"']?(?:1|block|span)\b"  # Markdown inside HTML blocks
    r"|^\[TOC\]\s*$",
    re.MULTILINE,
)
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def needs_python_markdown(text: str) -> bool:
    """Whether the Markdown uses Python-Markdown's own extensions."""
    # Each alternative of the pattern needs one of these strings: looked for first, as the
    # search tries every alternative at every character (0.25 ms of the ~1.9 ms it takes to
    # read a 5 kB article; most articles hold none of them).
    if not (
        "{" in text
        or "*[" in text
        or "\n:" in text
        or text.startswith(":")
        or "markdown=" in text
        or "[TOC]" in text
    ):
        return False
    return _PYTHON_MARKDOWN_ONLY.search(text) is not None


def render(text: str) -> str:
    """HTML of a Markdown text (no metadata header), as the site renders an article body."""
    return _add_heading_ids(_commonmark_html(text))


def _commonmark_html(text: str) -> str:
    """What cmarkgfm.markdown_to_html_with_extensions returns, without what it leaves
    allocated: the document's tree and the HTML's C string, ~30 kB for a 5 kB article, were
    never freed (theacodes/cmarkgfm#53), so each process reading articles grew by it (150 MB
    per 5,000 articles)."""
    release = _releasers()
    if release is None:  # a build of cmarkgfm without the symbols: as it comes
        return commonmark.markdown_to_html_with_extensions(
            text, options=_OPTIONS, extensions=_EXTENSIONS
        )
    free_node, free = release
    ffi, lib = _cmark.ffi, _cmark.lib
    commonmark.core_extensions_ensure_registered()
    parser = commonmark.parser_new(options=_OPTIONS)
    try:
        for name in _EXTENSIONS:
            commonmark.parser_attach_syntax_extension(
                parser, commonmark.find_syntax_extension(name)
            )
        commonmark.parser_feed(parser, text)
        root = commonmark.parser_finish(parser)
        try:
            raw = lib.cmark_render_html(
                root, _OPTIONS, commonmark.parser_get_syntax_extensions(parser)
            )
            try:
                return ffi.string(raw).decode("utf-8")
            finally:
                free(int(ffi.cast("uintptr_t", raw)))
        finally:
            free_node(int(ffi.cast("uintptr_t", root)))
    finally:
        commonmark.parser_free(parser)


@cache
def _releasers() -> tuple[Any, Any] | None:
    """cmark's cmark_node_free (in cmarkgfm's own library, which does not offer it) and the C
    library's free (cmark's default allocator), or None where they cannot be found."""
    try:
        library = ctypes.CDLL(_cmark.__file__)
        free_node, free = library.cmark_node_free, ctypes.CDLL(None).free
    except (OSError, AttributeError):
        return None
    for function in (free_node, free):
        function.argtypes, function.restype = [ctypes.c_void_p], None
    return free_node, free


def _add_heading_ids(html: str) -> str:
    """Ids on headings as Python-Markdown's toc extension makes them ("Who mines it?" ->
    "who-mines-it", a repeat -> "who-mines-it_1")."""
    if "<h" not in html:
        return html
    used: set[str] = set()

    def with_id(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        slug = unique(slugify(unescape(_TAG.sub("", inner)), "-"), used)
        return f'<h{level} id="{slug}">{inner}</h{level}>'

    return _HEADING.sub(with_id, html)


def engine_setting(settings: dict[str, Any]) -> str:
    engine = settings.get("MARKDOWN_ENGINE", "commonmark")
    if engine not in ENGINES:
        raise ValueError(f"MARKDOWN_ENGINE must be one of {', '.join(ENGINES)}, not {engine!r}")
    return engine
