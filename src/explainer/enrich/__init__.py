"""Enrichment: tags (countries, minerals, organisations, people, keywords) and the summary.

One code path serves ingestion and the build: `enrichment.enrich` fills what an article lacks.
"""
