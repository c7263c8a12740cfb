"""Ingestion: raw seeds (scraped text, saved HTML pages) -> one Markdown article each in content/.

`seed_file.read_seed` reads any seed (decode, strip furniture, extract the article);
`extract.extract_article` adds the enrichment (`explainer extract`); `ingestion.ingest` writes the
Markdown files and keeps the manifest that protects files a person edited.
"""
