"""Explainer pages: key facts, charts, maps, glossary links, landing, timeline, related articles.

Built once from the project's own content plus three fixture articles (so related articles and
the timeline have something to rank and group). Numbers are checked against the data files,
read here with the csv module, independently of the site's code.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.built_pages import links_to, page, resolve_local, soup
from support.project import REPO, build, copy_project

from explainer.site.worldmap import load_world_map

pytestmark = pytest.mark.slow  # builds a whole site or runs a server

DATA = REPO / "src" / "explainer" / "data" / "facts"
SEED = "articles/chinas-new-mining-initiative-at-g20-what-you-need-to-know/"
DOI = "https://doi.org/10.5066/P13XCP3R"

FIXTURES = {
    "congo-cobalt.md": """Title: Congo extends its cobalt export quota
Date: 2025-11-20
Countries: DR Congo, China
Minerals: Cobalt, Copper

The Democratic Republic of Congo extended its cobalt export quota, and refiners in China
looked for other supply.
""",
    "namibia-lithium.md": """Title: Namibia keeps its ban on raw lithium exports
Date: 2025-12-05
Countries: Namibia, China
Minerals: Lithium

## Export controls at home

Namibia said its export ban on unprocessed lithium ore stays, so `rare earths` in code and
this heading are not linked; the export ban in this sentence is.

    critical minerals in a code block
""",
    "magnets.md": """Title: Magnet makers feel the rare earth squeeze
Date: 2026-01-20
Countries: China, Myanmar, United States
Minerals: Rare earths, Dysprosium

Rare earths from Myanmar feed Chinese separation plants, and US magnet makers want a
general licence. Critical minerals are on every agenda.
""",
}


@pytest.fixture(scope="session")
def explainer_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("explainer"))
    for name, text in FIXTURES.items():
        (root / "content" / "articles" / name).write_text(text, encoding="utf-8")
    with (root / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write("\nDEFAULT_PAGINATION = 3\n")  # so the home page has a page 2
        settings.write("TIMELINE_PAGINATION = 1\n")  # a month over two timeline pages
    return build(root)


def production() -> list[dict[str, str]]:
    with (DATA / "minerals-production.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def figure(slug: str, code: str) -> int:
    row = next(r for r in production() if r["mineral_slug"] == slug and r["country_iso2"] == code)
    return int(row["mine_production"])


def share(slug: str, code: str) -> float:
    return 100 * figure(slug, code) / figure(slug, "WORLD")


def percent(text: str) -> float:
    return float(re.fullmatch(r"\s*([\d.]+)%\s*", text).group(1))


def test_rare_earths_page_shows_chinas_production_and_share_with_the_source(explainer_site):
    html = page(explainer_site, "minerals/rare-earths/")
    chart = html.select_one("figure.chart")
    row = next(r for r in chart.select("tbody tr") if r.th.get_text(strip=True) == "China")
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells[0] == f"{figure('rare-earths', 'CN'):,}"
    assert percent(cells[1]) == pytest.approx(share("rare-earths", "CN"), abs=0.5)
    world_total = f"{figure('rare-earths', 'WORLD'):,}"
    assert chart.select_one("tfoot td").get_text(strip=True) == world_total

    box = html.select_one(".fact-box")
    text = box.get_text(" ", strip=True)
    assert f"{world_total} metric tons, rare-earth-oxide (REO) equivalent" in text
    assert "World mine production, 2024" in text
    assert "more than 90,000,000" in text  # reserves are a lower bound in the source
    assert re.search(r"China\s+69%", text)
    assert "USGS 2022: yes" in text and "EU 2023: yes" in text
    source = box.find("a", href=DOI)
    assert source is not None
    assert "figures for 2024" in source.find_parent("p").get_text(" ")


def test_every_figure_on_a_topic_page_cites_its_source_and_year(explainer_site):
    for html_file in [*explainer_site.glob("minerals/*/index.html"),
                      *explainer_site.glob("countries/*/index.html")]:
        html = soup(html_file)
        for table in html.select("table.data-table"):
            scope = table.find_parent(["figure", "section", "aside"])
            assert scope.find("a", href=DOI), html_file
            assert "2024" in scope.get_text(" "), html_file


def test_every_chart_has_a_text_alternative_and_a_data_table(explainer_site):
    charts = 0
    for html_file in explainer_site.rglob("*.html"):
        html = soup(html_file)
        for svg in html.find_all("svg"):
            ids = svg.get("aria-labelledby", "").split()
            assert len(ids) == 2, html_file
            title, desc = (svg.find(id=i) for i in ids)
            assert title.name == "title" and title.get_text(strip=True), html_file
            assert desc.name == "desc" and desc.get_text(strip=True), html_file
        for fig in html.select("figure.chart"):
            charts += 1
            svg = fig.find("svg")
            assert svg["role"] == "img"
            bars = svg.select("rect.bar-chart__bar")
            labels = [t.get_text() for t in svg.select("text.bar-chart__label")]
            values = [t.get_text() for t in svg.select("text.bar-chart__value")]
            rows = fig.select("table tbody tr")
            assert bars and len(rows) == len(bars) == len(labels)
            assert [r.th.get_text(strip=True) for r in rows] == labels
            assert [r.find_all("td")[1].get_text(strip=True) for r in rows] == values
            desc = svg.find("desc").get_text()
            pairs = zip(labels, values, strict=True)
            assert all(f"{label}: {value}" in desc for label, value in pairs)
    assert charts >= 4  # rare earths, cobalt, copper, lithium


def test_china_page_map_highlights_china(explainer_site):
    html = page(explainer_site, "countries/china/")
    svg = html.select_one("figure.map svg")
    highlighted = svg.select(".world-map__highlight")
    assert [g["data-code"] for g in highlighted] == ["CN"]
    assert highlighted[0].path["d"] == load_world_map().shape("CN").d
    assert "China highlighted" in svg.find("desc").get_text()


def test_country_page_has_flag_code_ranks_and_mentioned_minerals(explainer_site):
    html = page(explainer_site, "countries/china/")
    box = html.select_one(".fact-box").get_text(" ", strip=True)
    assert "🇨🇳" in box and "CN" in box
    ranks = html.select_one("section.ranks table")
    rare = next(r for r in ranks.select("tbody tr") if "Rare earths" in r.th.get_text())
    assert rare.find_all("td")[0].get_text(" ", strip=True).startswith("1st")
    assert percent(rare.find_all("td")[1].get_text()) == pytest.approx(
        share("rare-earths", "CN"), abs=0.5
    )
    china = explainer_site / "countries" / "china" / "index.html"
    for slug in ("rare-earths", "cobalt", "lithium", "copper"):
        assert links_to(explainer_site, china, f"minerals/{slug}/"), slug
    # Namibia (ISO code NA) is joined like any other country: 8th for lithium, not top five.
    namibia = page(explainer_site, "countries/namibia/").select_one(".fact-box").get_text(" ")
    assert "for none of the 15 minerals" in namibia and "NA" in namibia


def test_countries_index_map_links_every_country_and_keeps_a_plain_list(explainer_site):
    index = explainer_site / "countries" / "index.html"
    html = soup(index)
    svg = html.select_one("figure.map svg")
    topics = [p for p in (explainer_site / "countries").iterdir() if p.is_dir()]
    map_links = {a["href"] for a in svg.find_all("a")}
    list_links = {a["href"] for a in html.select(".topic-grid a")}
    assert len(map_links) == len(topics) == len(list_links)
    assert map_links == list_links
    china = next(a for a in svg.find_all("a") if a["href"].endswith("countries/china/"))
    assert china["aria-label"] == "China: 4 articles"
    assert "world-map__level-3" in china["class"]


def test_minerals_index_table_gives_each_top_producer_and_share(explainer_site):
    html = page(explainer_site, "minerals/")
    rows = html.select("section.minerals-table tbody tr")
    data = production()
    slugs = {r["mineral_slug"] for r in data if r["mine_production"]}
    assert {r["id"].removeprefix("mineral-") for r in rows} == slugs
    for row in rows:
        slug = row["id"].removeprefix("mineral-")
        top = max((r for r in data if r["mineral_slug"] == slug and r["country_iso2"] != "WORLD"
                   and r["mine_production"]), key=lambda r: int(r["mine_production"]))
        cells = row.find_all("td")
        assert percent(cells[1].get_text()) == pytest.approx(
            share(slug, top["country_iso2"]), abs=0.5
        ), slug
    assert html.select_one("section.minerals-table").find("a", href=DOI)


def test_home_key_numbers_match_the_data(explainer_site):
    html = page(explainer_site, "")
    cards = html.select(".key-numbers .number-card")
    assert 3 <= len(cards) <= 5
    for card in cards:
        value = card.select_one(".number-card__value").get_text(strip=True)
        slug, code = card["data-mineral"], card["data-country"]
        if slug:
            assert percent(value) == pytest.approx(share(slug, code), abs=0.5), slug
        else:
            led = sum(
                1 for s in {r["mineral_slug"] for r in production() if r["mine_production"]}
                if max((r for r in production() if r["mineral_slug"] == s
                        and r["country_iso2"] != "WORLD" and r["mine_production"]),
                       key=lambda r: int(r["mine_production"]))["country_iso2"] == code
            )
            assert value.startswith(f"{led} of ")
    assert html.select_one(".key-numbers").find("a", href=DOI)
    assert "China" in html.select_one(".hero").get_text()
    for target in ("countries/", "minerals/", "timeline/", "glossary/", SEED):
        assert links_to(explainer_site, explainer_site / "index.html", target), target


def test_landing_is_on_page_one_only(explainer_site):
    html = page(explainer_site, "")
    assert html.select_one(".hero") and html.select_one(".key-numbers")
    assert len(html.find_all("h1")) == 1
    assert len(html.select(".card-list .card")) == 3
    second = page(explainer_site, "page/2/")
    assert second.select_one(".hero") is None and second.select_one(".key-numbers") is None
    assert second.h1.get_text(strip=True) == "All articles"
    assert [a.get_text() for a in second.select(".card__title a")] == [
        "Congo extends its cobalt export quota"
    ]


def test_a_mineral_without_figures_shows_its_list_status_only(explainer_site):
    html = page(explainer_site, "minerals/dysprosium/")
    box = html.select_one(".fact-box").get_text(" ", strip=True)
    assert "USGS 2022: yes" in box and "EU 2023: yes" in box
    assert "Heavy rare earth elements" in box  # how the EU lists it
    assert "production" not in box.lower() and html.select_one("figure.chart") is None


def test_each_glossary_link_resolves(explainer_site):
    glossary = soup(explainer_site / "glossary" / "index.html")
    anchors = {el["id"] for el in glossary.select("[id]")}
    links = 0
    for html_file in explainer_site.glob("articles/*/index.html"):
        for a in soup(html_file).select("a.term"):
            links += 1
            target = resolve_local(explainer_site, html_file, a["href"])
            assert target == (explainer_site / "glossary" / "index.html").resolve(), a["href"]
            assert urlsplit(a["href"]).fragment in anchors, a["href"]
    assert links >= 8
    seed = soup(explainer_site / SEED / "index.html")
    linked = {a.get_text(): urlsplit(a["href"]).fragment for a in seed.select("a.term")}
    assert linked["critical minerals"] == "critical-minerals"
    assert linked["G20"] == "g20"
    assert linked["general licenses"] == "general-licence"
    assert list(linked.values()).count("critical-minerals") == 1  # first use only


def test_glossary_links_skip_headings_and_code(explainer_site):
    html = page(explainer_site, "articles/namibia-keeps-its-ban-on-raw-lithium-exports/")
    body = html.select_one(".prose")
    assert body.h2.find("a") is None
    assert all(c.find("a") is None for c in body.find_all(["code", "pre"]))
    linked = [a.get_text() for a in body.select("a.term")]
    assert linked == ["export ban"]


def test_timeline_groups_every_article_by_month_over_pages(explainer_site):
    """Every article once, newest first, under its month's heading, over pages of
    TIMELINE_PAGINATION articles (one here); every page links to where each month starts."""
    pages = [page(explainer_site, "timeline/")]
    while (older := pages[-1].select_one(".pagination__next")) is not None:
        pages.append(page(explainer_site, "timeline/" + older["href"].split("timeline/")[-1]))
    assert len(pages) == 4
    headings = [
        [h.get_text(" ", strip=True) for h in p.select(".timeline-month h2")] for p in pages
    ]
    assert headings == [
        ["January 2026 2 articles"],
        ["January 2026 2 articles, continued"],
        ["December 2025 1 article"],
        ["November 2025 1 article"],
    ]
    titles = [a.get_text() for p in pages for a in p.select(".timeline__title a")]
    assert titles[:2] == [
        "Magnet makers feel the rare earth squeeze",
        "China's New Mining Initiative at G20: What You Need to Know",
    ]
    assert len(titles) == len(set(titles)) == 4
    for html in pages:
        item = html.select_one(".timeline__item")
        assert item.select_one(".card__summary").get_text(strip=True)
        assert item.select_one(".chip--country")
        links = [a["href"] for a in html.select(".timeline-months a")]
        assert [link.split("timeline/")[-1] for link in links] == [
            "#month-2026-01", "page/3/#month-2025-12", "page/4/#month-2025-11",
        ]  # fmt: skip


def test_related_articles_ranked_by_shared_countries_and_minerals(explainer_site):
    html = page(explainer_site, "articles/magnet-makers-feel-the-rare-earth-squeeze/")
    related = [a.get_text() for a in html.select(".related-list > li > a")]
    # the seed shares China, Myanmar, the US and rare earths; the others share China only
    assert related[0] == "China's New Mining Initiative at G20: What You Need to Know"
    assert set(related[1:]) == {
        "Namibia keeps its ban on raw lithium exports",
        "Congo extends its cobalt export quota",
    }
    assert "Also about China, Myanmar, United States, Rare earths" in html.select_one(
        ".related-list li"
    ).get_text(" ", strip=True).replace(" ,", ",")


def test_article_page_with_its_css_stays_under_30_kb(explainer_site):
    css = (explainer_site / "theme" / "css" / "style.css").stat().st_size
    for html_file in explainer_site.glob("articles/*/index.html"):
        assert html_file.stat().st_size + css < 30_000, html_file


# --- in a real browser -------------------------------------------------------------------------

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SHOT_PAGES = {"home": "", "mineral-rare-earths": "minerals/rare-earths/", "country-china":
              "countries/china/"}

CONTRAST = """([a, b]) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      v = Number(v) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const fill = (sel) => getComputedStyle(document.querySelector(sel)).fill;
  const [x, y] = [lum(fill(a)), lum(fill(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}"""


@pytest.mark.browser
def test_pages_look_right_at_phone_and_desktop_width(explainer_site):
    """Screenshots for a person to look at, plus what a script can see: nothing overflows,
    charts and maps render at full width with legible text, and their colours stand apart."""
    from playwright.sync_api import sync_playwright

    from explainer_devkit.chromium import launch

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for scheme in ("light", "dark"):
            for label, width in (("phone", 390), ("desktop", 1280)):
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                tab = context.new_page()
                tab.on("console", lambda m: m.type == "error" and problems.append(m.text))
                # A request cut short by the next navigation (the icon, often) is not missing.
                tab.on(
                    "requestfailed",
                    lambda r: r.failure != "net::ERR_ABORTED"
                    and problems.append(f"failed: {r.url} ({r.failure})"),
                )
                for name, path in SHOT_PAGES.items():
                    tab.goto((explainer_site / path / "index.html").as_uri())
                    tab.screenshot(path=SCREENSHOTS / f"{name}-{label}-{scheme}.png",
                                   full_page=True)
                    where = f"{name} at {label} width, {scheme}"
                    overflow = tab.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 0, f"{where}: {overflow}px wider than the screen"
                    main = tab.locator("main").bounding_box()["width"]
                    for svg in tab.locator("main svg").all():
                        assert svg.bounding_box()["width"] >= min(main * 0.6, 600), where
                    for text in tab.locator("svg text").all():
                        size = float(text.evaluate("t => getComputedStyle(t).fontSize")[:-2])
                        assert size >= 12, f"{where}: chart text {size}px"
                tab.goto((explainer_site / "minerals/rare-earths/index.html").as_uri())
                bars = tab.evaluate(CONTRAST, [".bar-chart__bar", ".bar-chart__track"])
                tab.goto((explainer_site / "countries/china/index.html").as_uri())
                hi = tab.evaluate(CONTRAST, [".world-map__highlight path", ".world-map__land"])
                assert bars >= 3 and hi >= 3, f"{scheme}: contrast bars {bars:.1f}, map {hi:.1f}"
                context.close()
        browser.close()
    assert problems == []
    assert len(list(SCREENSHOTS.glob("*.png"))) >= 12
