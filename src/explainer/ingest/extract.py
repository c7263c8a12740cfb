"""Seed file -> enriched Article: what `explainer extract` prints and `explainer ingest` writes."""

from __future__ import annotations

from pathlib import Path

from explainer.enrich.enrichment import enrich
from explainer.ingest.seed_file import read_seed
from explainer.model import Article


def extract_article(path: str | Path) -> Article:
    seed = read_seed(path)
    enrichment = enrich(seed.title, seed.body, seed.date, lang=seed.meta.get("lang"))
    return Article(
        seed=seed, summary=enrichment.summary, tags=enrichment.tags, lang=enrichment.lang
    )
