"""A saved page as a crawler saves its text: what `explainer` gets as a text seed.

The page is decoded the way the project decodes HTML seeds, parsed with BeautifulSoup, stripped
of `script`, `style`, `noscript`, `template`, `svg` and `head`, and read with `get_text("\\n")`
(every text node on its own line, as crawlers and select-all copies give it), with a blank line
between blocks (paragraphs, headings, list items, table cells, divs...). Lines are stripped and
runs of blank lines are collapsed to one.

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

DROPPED = ("script", "style", "noscript", "template", "svg", "head")
_BLOCK_MARK = "\n\x00\n"


def crawler_text(data: bytes | str) -> str:
    """Page bytes (or decoded text) -> the page's text as a crawler's get_text("\\n") gives it."""
    markup = decode_html(data) if isinstance(data, bytes) else data
    soup = BeautifulSoup(markup, "lxml")
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    for tag in soup.find_all(BLOCKS):
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
