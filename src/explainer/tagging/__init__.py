"""One tagger for ingestion and the build: countries, minerals, organisations, people, keywords."""

from __future__ import annotations

from explainer.tagging.tagger import tag_text

__all__ = ["tag_text"]
