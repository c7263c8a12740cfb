"""Summary and tags for an article body: the one code path ingestion and the build share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from explainer.enrich.language import detect_language, primary
from explainer.enrich.summary import summarise
from explainer.enrich.tagging import tag_text
from explainer.model import Tags
from explainer.text.markdown_text import markdown_to_text

# Tags and the summary come from the first half-million characters of a body (some 80,000
# words, far beyond any news article). A 20 MB "article" is still written whole, but reading
# it for tags costs what a long article costs instead of growing without bound.
MAX_ENRICH_CHARACTERS = 500_000


@dataclass
class Enrichment:
    summary: str
    tags: Tags
    lang: str | None  # BCP 47 ("fr", "pt-BR"); None when the text does not say


def enrich(
    title: str, body_markdown: str, when: date | None = None, lang: str | None = None
) -> Enrichment:
    """`when` (the article's date) places old news in its time: Moscow in 1987 is the USSR.
    `lang` is the language the source declares (an HTML page's `lang`); without one, the
    language is detected from the text."""
    body = _leading_part(body_markdown)
    text = markdown_to_text(body)
    lang = lang or detect_language(f"{title}\n\n{text}")
    return Enrichment(
        summary=summarise(body, primary(lang)),
        tags=tag_text(title, text, when, lang=primary(lang)),
        lang=lang,
    )


def _leading_part(body: str) -> str:
    if len(body) <= MAX_ENRICH_CHARACTERS:
        return body
    head = body[:MAX_ENRICH_CHARACTERS]
    cut = head.rfind("\n\n")
    return head[:cut] if cut > 0 else head
