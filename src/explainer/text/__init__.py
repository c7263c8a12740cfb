"""Shared text utilities every stage uses: dates, sentences, slugs, Markdown <-> plain text,
what counts as live markup, and the Markdown metadata header (front matter)."""
