"""Plain-text seeds (a page saved as text, a wire story): headline, date, byline and article body.

The reading is statistical (seeds/text_model.py, weights learned from the dev corpora): each line
is scored as article text or not from its shape and its neighbours', the headline is the best of
the title-shaped lines, the date the best of the dates the page shows, and the body is the run of
article lines after them. This module turns that reading into a SeedArticle: lines of one
paragraph (cut at links, or hard-wrapped) are joined again, and the text is escaped as Markdown.
"""

from __future__ import annotations

import re
from datetime import datetime

from explainer.ingest.decode import SeedError
from explainer.ingest.text_bylines import find_author
from explainer.ingest.text_lines import Line
from explainer.ingest.text_model import TextModel, TextReading, read_text
from explainer.ingest.text_title_echoes import headline_text
from explainer.model import SeedArticle
from explainer.text.markdown_text import escape_markdown

_SENTENCE_END = re.compile(r"""[.!?…。！？]["”’'»)\]]*$""")
_NO_SPACE_BEFORE = re.compile(r"""^[.,;:!?)\]}”’»%]""")


def parse_text_seed(
    text: str, path: str, source: str, model: TextModel | None = None
) -> SeedArticle:
    reading = read_text(text, model)
    lines = reading.page.lines
    if reading.headline is None:
        raise SeedError("no title: the first line is article text, not a headline")
    title = headline_text(reading.page, reading.title_line)
    warnings: list[str] = []
    paragraphs = assemble_paragraphs(lines, reading.kept)
    if not paragraphs:
        raise SeedError("no article text after the title")
    meta = {}
    author = find_author(lines, reading.headline)
    if author:
        meta["author"] = author
    day = reading.date
    return SeedArticle(
        path=path,
        title=title,
        date=datetime(day.year, day.month, day.day) if day else None,
        body="\n\n".join(escape_markdown(p) for p in paragraphs),
        source=source,
        meta=meta,
        warnings=warnings,
    )


def assemble_paragraphs(lines: list[Line], kept: list[int]) -> list[str]:
    """Kept lines -> paragraphs. A line goes on the paragraph before it when both are in one
    block and the paragraph has not ended a sentence, or the line starts in lower case or with
    punctuation (a hard-wrapped line, or a sentence cut at a link); an indented line starts one."""
    paragraphs: list[str] = []
    previous: Line | None = None
    for index in kept:
        line = lines[index]
        text = line.text
        joins = (
            previous is not None
            and previous.block == line.block
            and not line.indented
            and (
                not _SENTENCE_END.search(paragraphs[-1])
                or text[:1].islower()
                or _NO_SPACE_BEFORE.match(text) is not None
            )
        )
        if joins:
            glue = "" if _NO_SPACE_BEFORE.match(text) else " "
            paragraphs[-1] = paragraphs[-1] + glue + text
        else:
            paragraphs.append(text)
        previous = line
    return [" ".join(p.split()) for p in paragraphs]


def reading_text(reading: TextReading) -> str:
    """The body a reading finds, as plain text (for the evaluation and training)."""
    return "\n\n".join(assemble_paragraphs(reading.page.lines, reading.kept))
