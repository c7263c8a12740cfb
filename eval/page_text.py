"""A saved page as a crawler saves its text: what `explainer` gets as a text seed.

The page is decoded the way the project decodes HTML seeds, parsed with BeautifulSoup, stripped
of `script`, `style`, `noscript`, `template` and `svg`, and read with `get_text("\\n")` (every
text node on its own line, as crawlers give it), with a blank line between blocks (paragraphs,
headings, list items, table cells, divs...). Lines are stripped and runs of blank lines are
collapsed to one.

The `<title>` is the only text of `<head>`: `get_text` gives it first, as its own block, and so
does `crawler_text` (the issue's definition of a crawler's text). A select-all copy from a
browser has no `<title>`: `crawler_text(data, with_title=False)` drops the whole `<head>`.

This one function makes the text versions of the dev corpora for the evaluation, the training
script and the tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from explainer.ingest.decode import decode_html  # noqa: E402
from explainer.ingest.html_text import BLOCK_ELEMENTS as BLOCKS  # noqa: E402

DROPPED = ("script", "style", "noscript", "template", "svg")
_BLOCK_MARK = "\n\x00\n"


def crawler_text(data: bytes | str, with_title: bool = True) -> str:
    """Page bytes (or decoded text) -> the page's text as a crawler's get_text("\\n") gives it:
    the `<title>` first, as a block of its own; `with_title=False`: as a select-all copy gives
    it, without the `<head>` (so without the `<title>`)."""
    markup = decode_html(data) if isinstance(data, bytes) else data
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    _head_as_text(soup, with_title)
    for tag in soup.find_all([*BLOCKS, "title"]):
        tag.insert_before(NavigableString(_BLOCK_MARK))
        tag.insert_after(NavigableString(_BLOCK_MARK))
    text = soup.get_text("\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line == "\x00":  # a block starts or ends here
            if out and out[-1]:
                out.append("")
        elif line:  # (a whitespace-only text node between inline elements is no boundary)
            out.append(line.replace("\x00", " ").strip())
    return "\n".join(out).strip() + "\n"


def _head_as_text(soup: BeautifulSoup, with_title: bool) -> None:
    """Drop the `<head>` but its `<title>` (or all of it, `with_title=False`)."""
    for head in soup.find_all("head"):
        if not with_title:
            head.decompose()
            continue
        for tag in head.find_all(True):
            if tag.name != "title" and tag.find_parent("title") is None:
                tag.decompose()  # (text there is the parser's reading of broken markup)
