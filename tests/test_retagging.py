"""retagging.tag_lists: each tag's articles found again as Pelican's ArticlesGenerator finds
them, or None when the quick build cannot keep the site's set of tag pages."""

from __future__ import annotations

from types import SimpleNamespace

from pelican.settings import DEFAULT_CONFIG
from pelican.urlwrappers import Tag

from explainer.site.incremental.retagging import tag_lists


def _tag(name: str) -> Tag:
    return Tag(name, DEFAULT_CONFIG)


def _context(*tag_names: list[str]) -> dict:
    """Articles (newest first) with these tags, and `tags` as Pelican's context holds them."""
    articles = [SimpleNamespace(tags=[_tag(n) for n in names]) for names in tag_names]
    grouped: dict = {}
    for article in articles:
        for tag in article.tags:
            grouped.setdefault(tag, []).append(article)
    return {"articles": articles, "tags": list(grouped.items())}


def test_each_tags_articles_in_the_order_pelican_lists_them():
    context = _context(["Batteries", "Tariffs"], ["Tariffs"], ["Batteries"])
    first, second, third = context["articles"]
    assert tag_lists(context) == {"batteries": [first, third], "tariffs": [first, second]}
    second.tags.append(_tag("Batteries"))
    assert tag_lists(context) == {"batteries": [first, second, third], "tariffs": [first, second]}
    first.tags = [_tag("Tariffs")]  # Batteries is now first met after Tariffs
    assert list(tag_lists(context)) == ["tariffs", "batteries"]


def test_a_tag_new_to_the_site_or_left_without_articles_needs_the_full_build():
    context = _context(["Batteries", "Tariffs"], ["Tariffs"])
    context["articles"][1].tags.append(_tag("Recycling"))
    assert tag_lists(context) is None
    context = _context(["Batteries", "Tariffs"], ["Tariffs"])
    context["articles"][0].tags = [_tag("Tariffs")]
    assert tag_lists(context) is None


def test_a_tag_first_met_under_another_spelling_needs_the_full_build():
    """Pelican names a tag page after the first Tag it meets for the slug."""
    context = _context(["Rare earths"], ["Rare earths"])
    context["articles"][0].tags = [_tag("Rare Earths")]
    assert tag_lists(context) is None
    context = _context(["Rare earths"], ["Rare earths"])
    context["articles"][1].tags = [_tag("Rare Earths")]
    assert tag_lists(context) is not None
