"""What readers, search engines and feed readers get (issue 6), read from built sites.

Search index, canonical URLs, sitemap.xml, robots.txt, Open Graph and Twitter tags, JSON-LD,
feeds for the site and every topic, the favicon, the 404 and search pages, newer/older
article links, and the weight rules (no third-party or render-blocking resources).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support.built_pages import page, soup
from support.project import build, copy_project

SITEURL = "https://example.org/minerals"
SEED = "articles/chinas-new-mining-initiative-at-g20-what-you-need-to-know/"
SECOND = "articles/congo-tightens-cobalt-exports/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def add_second_article(root: Path) -> None:
    (root / "content" / "articles" / "cobalt.md").write_text(
        "Title: Congo tightens cobalt exports\nDate: 2026-02-01\n\n"
        "The Democratic Republic of Congo extended its cobalt export quota on Monday, "
        "squeezing supply for battery makers in China, which also dominates rare earths.\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A publish build (absolute SITEURL under a subpath) with two articles and its index."""
    from explainer.site.search_index import index_site

    root = copy_project(tmp_path_factory.mktemp("published"))
    add_second_article(root)
    output = build(root, "publishconf.py", env={"SITEURL": SITEURL})
    index_site(output)
    return output


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("local"))
    add_second_article(root)
    return build(root)


def json_ld(doc) -> list[dict]:
    return [json.loads(s.string) for s in doc.find_all("script", type="application/ld+json")]


def of_type(doc, kind: str) -> dict:
    found = [d for d in json_ld(doc) if d.get("@type") == kind]
    assert len(found) == 1, f"expected one {kind} in {[d.get('@type') for d in json_ld(doc)]}"
    return found[0]


@pytest.mark.slow
def test_search_index_covers_articles_and_topic_pages(published):
    from explainer.site.search_index import index_site

    bundle = published / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-worker.js").is_file()
    report = index_site(published)  # again: the old bundle is replaced, not piled up
    # 2 articles + their countries and minerals + about + glossary, and nothing else.
    indexed = {p.parent.relative_to(published).as_posix() + "/"
               for p in published.rglob("index.html") if "data-pagefind-body" in p.read_text()}
    assert SEED in indexed and SECOND in indexed
    assert "countries/china/" in indexed and "minerals/rare-earths/" in indexed
    assert "search/" not in indexed and "" not in indexed and "tags/" not in indexed
    assert report.pages == len(indexed)
    assert not list(published.glob(".pagefind-*"))


def test_search_index_refuses_a_folder_without_a_site(tmp_path):
    from explainer.site.search_index import SearchIndexError, index_site

    with pytest.raises(SearchIndexError, match="no built site"):
        index_site(tmp_path)


@pytest.mark.slow
def test_search_page_works_without_javascript(published):
    doc = page(published, "search/")
    form = doc.find("form", role="search")
    assert form["action"] == f"{SITEURL}/search/" and form.find("input", attrs={"name": "q"})
    assert form.find("label", attrs={"for": "search-query"})
    assert form["data-pagefind"] == f"{SITEURL}/pagefind/pagefind.js"
    # Without JS: an explanation and every way to browse.
    text = doc.find("main").get_text(" ", strip=True)
    assert "needs JavaScript" in text or "with JavaScript" in text
    browse = {a["href"] for a in doc.select(".search-browse a")}
    assert {f"{SITEURL}/countries/", f"{SITEURL}/minerals/", f"{SITEURL}/timeline/"} <= browse
    # The script is same-origin, external and does not block rendering.
    script = doc.find("script", src=True)
    assert script["src"] == f"{SITEURL}/theme/js/search.js" and script["type"] == "module"
    assert not [s for s in doc.find_all("script") if not s.get("src")
                and s.get("type") != "application/ld+json"]


@pytest.mark.slow
def test_every_page_has_a_search_box_leading_to_the_search_page(published):
    for path in ("", SEED, "countries/china/", "minerals/", "about/"):
        form = page(published, path).find("form", class_="site-search")
        assert form and form["action"] == f"{SITEURL}/search/", path
        assert form.find("input", attrs={"name": "q"})["id"] == "site-search-query"


@pytest.mark.slow
def test_canonical_and_open_graph(published):
    doc = page(published, SEED)
    canonical = f"{SITEURL}/{SEED}"
    assert doc.find("link", rel="canonical")["href"] == canonical
    meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.find_all("meta")}
    assert meta["og:url"] == canonical
    assert meta["og:type"] == "article"
    assert meta["og:title"].startswith("China's New Mining Initiative")
    assert meta["og:description"] and meta["og:site_name"] == "Critical Minerals Explained"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["article:published_time"].startswith("2026-01-13")
    home = {m.get("property"): m.get("content") for m in page(published, "").find_all("meta")}
    assert home["og:type"] == "website" and home["og:url"] == f"{SITEURL}/"


@pytest.mark.slow
def test_news_article_json_ld(published):
    data = of_type(page(published, SEED), "NewsArticle")
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == "China's New Mining Initiative at G20: What You Need to Know"
    assert data["datePublished"].startswith("2026-01-13") and data["dateModified"]
    assert data["description"].startswith("China is making significant moves")
    about = {(a["@type"], a["name"]): a.get("url") for a in data["about"]}
    assert about[("Country", "China")] == f"{SITEURL}/countries/china/"
    assert about[("Thing", "Rare earths")] == f"{SITEURL}/minerals/rare-earths/"
    assert len([k for k in about if k[0] == "Country"]) == 12
    assert data["publisher"]["name"] == "Critical Minerals Explained"
    crumbs = of_type(page(published, SEED), "BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2] and crumbs[0]["item"] == f"{SITEURL}/"


@pytest.mark.slow
def test_topic_pages_are_collection_pages_with_breadcrumbs(published):
    doc = page(published, "countries/china/")
    collection = of_type(doc, "CollectionPage")
    assert collection["about"] == {"@type": "Country", "name": "China", "identifier": "CN"}
    listed = [i["url"] for i in collection["mainEntity"]["itemListElement"]]
    assert f"{SITEURL}/{SEED}" in listed and f"{SITEURL}/{SECOND}" in listed
    crumbs = of_type(doc, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Countries", "China"]
    assert crumbs[1]["item"] == f"{SITEURL}/countries/"
    assert crumbs[2]["item"] == f"{SITEURL}/countries/china/"
    mineral = of_type(page(published, "minerals/rare-earths/"), "CollectionPage")
    assert mineral["about"]["@type"] == "Thing"
    for path in ("countries/", "minerals/", "glossary/", "timeline/", "tags/"):
        assert of_type(page(published, path), "CollectionPage")["url"] == f"{SITEURL}/{path}"
    website = of_type(page(published, ""), "WebSite")
    assert website["potentialAction"]["target"]["urlTemplate"] == (
        f"{SITEURL}/search/?q={{search_term_string}}"
    )


def test_json_ld_cannot_be_closed_by_article_text():
    from explainer.site.plugins.structured_data import jsonld

    out = str(jsonld({"headline": "</script><script>alert(1)</script> & co", "empty": "",
                      "none": None, "list": [None, "", {"a": None}], "keep": 0}))
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out) == {"headline": "</script><script>alert(1)</script> & co", "keep": 0}


@pytest.mark.slow
def test_sitemap_and_robots(published):
    robots = (published / "robots.txt").read_text()
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots and "User-agent: *" in robots
    tree = ET.parse(published / "sitemap.xml")
    urls = {u.findtext(f"{SITEMAP_NS}loc"): u.findtext(f"{SITEMAP_NS}lastmod")
            for u in tree.getroot()}
    assert f"{SITEURL}/" in urls
    assert urls[f"{SITEURL}/{SEED}"].startswith("2026-01-13")
    assert urls[f"{SITEURL}/countries/china/"].startswith("2026-02-01")  # its newest article
    for path in ("countries/", "minerals/rare-earths/", "about/", "glossary/", "timeline/"):
        assert f"{SITEURL}/{path}" in urls
    assert not [u for u in urls if "404" in u or "/search/" in u or "pagefind" in u]
    # Every page on disk is in it (but the excluded ones), and only pages that exist.
    pages = [p for p in published.rglob("*.html") if "pagefind" not in p.parts]
    assert len(urls) == len(pages) - 2


@pytest.mark.slow
def test_local_build_has_no_absolute_address_files(local):
    assert not (local / "sitemap.xml").exists() and not (local / "robots.txt").exists()
    doc = page(local, SEED)
    assert not doc.find("link", rel="canonical")
    assert not doc.find("meta", property="og:url")
    assert of_type(doc, "NewsArticle")["about"][0]["url"].startswith("../../countries/")


@pytest.mark.slow
def test_feeds_for_the_site_and_every_topic(published):
    for path in ("feeds/all.atom.xml", "feeds/countries/china.atom.xml",
                 "feeds/minerals/rare-earths.atom.xml", "feeds/minerals/cobalt.atom.xml"):
        feed = ET.parse(published / path).getroot()
        assert feed.tag == "{http://www.w3.org/2005/Atom}feed", path
    topic = page(published, "countries/china/")
    link = topic.find("link", rel="alternate", title=lambda t: t and t.endswith(": China"))
    assert link["href"] == f"{SITEURL}/feeds/countries/china.atom.xml"


@pytest.mark.slow
def test_favicon_is_a_same_origin_svg(published):
    icon = page(published, SEED).find("link", rel="icon")
    assert icon["href"] == f"{SITEURL}/theme/favicon.svg" and icon["type"] == "image/svg+xml"
    assert (published / "theme" / "favicon.svg").read_text().startswith("<svg")


@pytest.mark.slow
def test_404_page_helps_the_reader(published, local):
    doc = soup(published / "404.html")
    assert doc.find("h1").get_text() == "Page not found"
    assert doc.find("form", role="search")["action"] == f"{SITEURL}/search/"
    hrefs = {a["href"] for a in doc.find("main").find_all("a")}
    assert {f"{SITEURL}/", f"{SITEURL}/countries/", f"{SITEURL}/minerals/",
            f"{SITEURL}/{SECOND}"} <= hrefs
    assert not doc.find("base")
    # Served for a missing address at any depth: a local build anchors its links at the root.
    assert soup(local / "404.html").find("base")["href"] == "/"


@pytest.mark.slow
def test_newer_and_older_article_links(published):
    seed = page(published, SEED).find("nav", class_="article-nav")
    newer = seed.find("a", rel="next")
    assert newer["href"] == f"{SITEURL}/{SECOND}" and not seed.find("a", rel="prev")
    second = page(published, SECOND).find("nav", class_="article-nav")
    assert second.find("a", rel="prev")["href"] == f"{SITEURL}/{SEED}"
    assert not second.find("a", rel="next")
    related = page(published, SECOND).find("aside", class_="related")
    assert related.find("a", href=f"{SITEURL}/{SEED}")


@pytest.mark.slow
def test_skip_link_focus_and_print_styles(published):
    doc = page(published, SEED)
    skip = doc.body.find("a")
    assert skip["class"] == ["skip-link"] and skip["href"] == "#main"
    assert doc.find("main", id="main")
    css = (published / "theme" / "css" / "style.css").read_text()
    assert ":focus-visible{outline: 3px solid var(--focus)" in css
    assert "@media print" in css and ".article-nav" in css.split("@media print")[1]


@pytest.mark.slow
def test_no_third_party_or_blocking_resources(published):
    for html_file in published.rglob("*.html"):
        if "pagefind" in html_file.parts:
            continue
        doc = soup(html_file)
        for tag in doc.find_all(["link", "script", "img", "iframe"]):
            ref = tag.get("href") or tag.get("src")
            if tag.name == "link" and "alternate" in (tag.get("rel") or []):
                continue
            if tag.name == "link" and "canonical" in (tag.get("rel") or []):
                continue
            if ref:
                assert ref.startswith(SITEURL + "/"), f"{html_file}: {ref}"
        for script in doc.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue
            assert script.get("src") and script.get("type") == "module", f"{html_file}: {script}"


def test_shipped_css_is_minified_and_the_same_rules():
    from explainer.site.plugins.minify_css import minify

    css = 'a  { color : red ; }\n/* gone */\n.x::before { content: " ,  { " ; }\n'
    assert minify(css) == 'a{color : red}.x::before{content: " ,  { "}\n'


@pytest.mark.slow
def test_shared_links_show_the_social_card(published, local):
    meta = {m.get("property") or m.get("name"): m.get("content")
            for m in page(published, SEED).find_all("meta")}
    assert meta["og:image"] == f"{SITEURL}/theme/social-card.png"
    assert meta["og:image:alt"] and meta["twitter:card"] == "summary_large_image"
    assert (published / "theme" / "social-card.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert of_type(page(published, SEED), "NewsArticle")["image"] == meta["og:image"]
    # Without an absolute address there is no image to point at.
    assert not page(local, SEED).find("meta", property="og:image")
