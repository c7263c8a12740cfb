"""The built site: index, article, a page per country and mineral, topic indexes."""

from __future__ import annotations

import re

import pytest
from support.built_pages import links_to, page, resolve_local, soup

pytestmark = pytest.mark.slow  # builds a whole site or runs a server

ARTICLE = "articles/chinas-new-mining-initiative-at-g20-what-you-need-to-know/"
COUNTRY_SLUGS = [
    "china",
    "south-africa",
    "cambodia",
    "nigeria",
    "myanmar",
    "zimbabwe",
    "germany",
    "japan",
    "france",
    "united-kingdom",
    "ireland",
    "united-states",
]


def test_index_lists_the_article_with_its_summary(site):
    assert links_to(site, site / "index.html", ARTICLE)
    index = page(site, "")
    assert "China is making significant moves" in index.get_text()


def test_every_country_page_and_the_rare_earths_page_link_the_article(site):
    for slug in COUNTRY_SLUGS:
        topic = site / "countries" / slug / "index.html"
        assert topic.exists(), slug
        assert links_to(site, topic, ARTICLE), slug
    assert links_to(site, site / "minerals" / "rare-earths" / "index.html", ARTICLE)


def test_no_country_page_for_what_the_seed_does_not_mention(site):
    pages = {p.name for p in (site / "countries").iterdir() if p.is_dir()}
    assert pages == set(COUNTRY_SLUGS)


def test_article_links_back_to_its_topics_and_hides_a_seed_file_name(site):
    article = site / ARTICLE / "index.html"
    for slug in COUNTRY_SLUGS:
        assert links_to(site, article, f"countries/{slug}/"), slug
    assert links_to(site, article, "minerals/rare-earths/")
    html = soup(article)
    assert html.find("h1").get_text(strip=True) == (
        "China's New Mining Initiative at G20: What You Need to Know"
    )
    text = html.get_text(" ")
    assert "000_6b2440b7a94c438e.txt" not in text  # a Source a reader cannot use (issue 14)
    assert html.find("time", attrs={"datetime": re.compile(r"^2026-01-13")})
    assert "China is making significant moves" in text


def test_topic_indexes_list_topics_with_article_counts(site):
    countries = page(site, "countries/")
    for slug in COUNTRY_SLUGS:
        assert links_to(site, site / "countries" / "index.html", f"countries/{slug}/")
    assert re.search(r"\b1 article\b", countries.get_text(" "))
    assert links_to(site, site / "minerals" / "index.html", "minerals/rare-earths/")


def test_every_local_link_and_asset_resolves(site):
    broken = []
    for html_file in site.rglob("*.html"):
        for tag in soup(html_file).find_all(["a", "link", "img", "script"]):
            ref = tag.get("href") or tag.get("src")
            if not ref:
                continue
            assert not ref.startswith("/"), f"{html_file}: root-absolute link {ref}"
            target = resolve_local(site, html_file, ref)
            if target is not None and not target.exists():
                broken.append((str(html_file.relative_to(site)), ref))
    assert broken == []


def test_no_javascript_needed_to_read_the_site(site):
    """Scripts are JSON-LD data blocks, and the search page's one same-origin module."""
    for html_file in site.rglob("*.html"):
        if "pagefind" in html_file.parts:
            continue
        for script in soup(html_file).find_all("script"):
            if script.get("type") == "application/ld+json":
                continue
            assert html_file == site / "search" / "index.html", html_file
            assert script.get("type") == "module", script
            assert script["src"] == "../theme/js/search.js", script


def test_pages_are_accessible_basics(site):
    for html_file in site.rglob("*.html"):
        html = soup(html_file)
        assert html.find("html").get("lang") == "en", html_file
        assert len(html.find_all("h1")) == 1, html_file
        assert html.find("main"), html_file
        assert html.find("meta", attrs={"name": "viewport"}), html_file
