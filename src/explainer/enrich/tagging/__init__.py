"""One tagger for ingestion and the build: countries, minerals, organisations, people, keywords."""

from __future__ import annotations

from explainer.enrich.tagging.tagger import tag_text

__all__ = ["tag_text"]
