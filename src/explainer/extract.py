"""Seed file -> enriched Article: what `explainer extract` prints and `explainer ingest` writes."""

from __future__ import annotations

from pathlib import Path

from explainer.enrich import enrich
from explainer.model import Article
from explainer.seeds import read_seed


def extract_article(path: str | Path) -> Article:
    seed = read_seed(path)
    enrichment = enrich(seed.title, seed.body, seed.date, lang=seed.meta.get("lang"))
    return Article(
        seed=seed, summary=enrichment.summary, tags=enrichment.tags, lang=enrichment.lang
    )
