"""Pelican plugin: each article's neighbours in time, for "newer / older article" links.

Sets `article.newer_article` and `article.older_article` (None at either end) over the
site's published articles in the timeline's order (newest first; articles of the same date
as the site lists them), so every article links to the next one a reader would meet on the
timeline, and a new title moves no article's neighbours. Translations are left out.
"""

from __future__ import annotations

from pelican import signals

from explainer.site.plugins.timeline import by_date


def link_neighbours(generator) -> None:
    articles = by_date(generator.articles)
    for index, article in enumerate(articles):
        article.newer_article = articles[index - 1] if index > 0 else None
        article.older_article = articles[index + 1] if index + 1 < len(articles) else None


def register() -> None:
    signals.article_generator_finalized.connect(link_neighbours)
