"""Summary and tags for an article body: the one code path ingestion and the build share."""

from __future__ import annotations

from dataclasses import dataclass

from explainer.markdown_text import markdown_to_text
from explainer.model import Tags
from explainer.summary import summarise
from explainer.tagging import tag_text


@dataclass
class Enrichment:
    summary: str
    tags: Tags


def enrich(title: str, body_markdown: str) -> Enrichment:
    return Enrichment(
        summary=summarise(body_markdown),
        tags=tag_text(title, markdown_to_text(body_markdown)),
    )
