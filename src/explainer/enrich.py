"""Summary and tags for an article body: the one code path ingestion and the build share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from explainer.markdown_text import markdown_to_text
from explainer.model import Tags
from explainer.summary import summarise
from explainer.tagging import tag_text


@dataclass
class Enrichment:
    summary: str
    tags: Tags


def enrich(title: str, body_markdown: str, when: date | None = None) -> Enrichment:
    """`when` (the article's date) places old news in its time: Moscow in 1987 is the USSR."""
    return Enrichment(
        summary=summarise(body_markdown),
        tags=tag_text(title, markdown_to_text(body_markdown), when),
    )
