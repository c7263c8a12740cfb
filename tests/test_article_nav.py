"""Newer / older article links: the timeline's order, whatever the titles (fast)."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

from explainer.site.plugins.article_nav import link_neighbours
from explainer.site.plugins.timeline import by_date


def test_neighbours_follow_the_timeline_and_a_new_title_moves_none():
    day = datetime(2026, 1, 5)
    articles = [SimpleNamespace(date=day, title=title) for title in ("Zinc", "Antimony", "Lithium")]
    articles.append(SimpleNamespace(date=day - timedelta(days=1), title="Older"))
    articles.append(SimpleNamespace(date=day + timedelta(days=1), title="Newest"))
    generator = SimpleNamespace(articles=list(articles))
    link_neighbours(generator)
    timeline = by_date(articles)  # newest first, same-day articles as the site lists them
    assert [a.older_article for a in timeline] == [*timeline[1:], None]
    assert [a.newer_article for a in timeline] == [None, *timeline[:-1]]
    before = [(a.newer_article, a.older_article) for a in articles]
    articles[1].title = "Aardvark"  # would sort first by title
    link_neighbours(generator)
    assert [(a.newer_article, a.older_article) for a in articles] == before
