"""Pelican plugin: each article's neighbours in time, for "newer / older article" links.

Sets `article.newer_article` and `article.older_article` (None at either end) over the
site's published articles in date order (ties by title), so every article links to the
next one a reader would meet on the timeline. Translations are left out.
"""

from __future__ import annotations

from pelican import signals


def link_neighbours(generator) -> None:
    articles = sorted(generator.articles, key=lambda a: (a.date, a.title))
    for index, article in enumerate(articles):
        article.older_article = articles[index - 1] if index > 0 else None
        article.newer_article = articles[index + 1] if index + 1 < len(articles) else None


def register() -> None:
    signals.article_generator_finalized.connect(link_neighbours)
