"""Topic pages list the articles about the topic first ("In focus"), then the ones that only
mention it ("Also mentioned"); salience survives the Markdown round trip in `Focus:`."""

from __future__ import annotations

import shutil

import pytest
from support.built_pages import page
from support.project import build, copy_project

pytestmark = pytest.mark.slow  # builds a whole site or runs a server


def _write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("focus"), with_content=False)
    shutil.rmtree(root / "seeds")
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    # About Chile (title, first sentence); Japan only in passing. No Focus line: computed.
    _write(
        articles,
        "chile.md",
        "Title: Chile raises copper output\nDate: 2026-02-03\n\n"
        "Chile's state miner raised copper output by 5 pct in January, the ministry said.\n\n"
        "Most of the copper went to smelters at home; some concentrate was shipped to Japan.\n",
    )
    # About Japan; Chile only in passing.
    _write(
        articles,
        "japan.md",
        "Title: Japan's smelters cut copper purchases\nDate: 2026-02-04\n\n"
        "Japanese smelters cut copper concentrate purchases for March, industry sources said.\n\n"
        "Smelters in Japan blamed weak demand. A cargo from Chile was delayed.\n",
    )
    # The author says what the article is about: Focus wins over the body, and may add a tag.
    _write(
        articles,
        "authored.md",
        "Title: Peru's mining week\nDate: 2026-02-05\nCountries: Peru, Chile\n"
        "Focus: Chile, Lithium\n\n"
        "Peru's miners met on Monday. Chile was mentioned once.\n",
    )
    # Focus written but empty: the author says the article is about nothing in particular.
    _write(
        articles,
        "nothing.md",
        "Title: A note on copper\nDate: 2026-02-06\nFocus:\n\n"
        "Copper from Chile and Peru, in general terms.\n",
    )
    return build(root)


def _sections(output, path):
    html = page(output, path)
    return {
        section.h2.get_text(strip=True): [
            a.get_text(strip=True) for a in section.select(".card__title a")
        ]
        for section in html.select("section.topic-articles")
    }


def test_in_focus_then_also_mentioned(site):
    sections = _sections(site, "countries/chile/")
    assert list(sections) == ["In focus", "Also mentioned"]
    assert "Chile raises copper output" in sections["In focus"]
    assert "Japan's smelters cut copper purchases" in sections["Also mentioned"]
    japan = _sections(site, "countries/japan/")
    assert japan["In focus"] == ["Japan's smelters cut copper purchases"]
    assert japan["Also mentioned"] == ["Chile raises copper output"]


def test_headings_come_in_order_on_the_page(site):
    text = page(site, "countries/chile/").get_text(" ")
    assert text.index("In focus") < text.index("Also mentioned")


def test_authored_focus_wins_and_adds_its_tags(site):
    chile = _sections(site, "countries/chile/")
    assert "Peru's mining week" in chile["In focus"]
    peru = _sections(site, "countries/peru/")
    assert "Peru's mining week" in peru["Also mentioned"]
    assert "Peru's mining week" not in peru.get("In focus", [])
    lithium = _sections(site, "minerals/lithium/")
    assert lithium == {"In focus": ["Peru's mining week"]}


def test_empty_focus_means_nothing_is_in_focus(site):
    copper = _sections(site, "minerals/copper/")
    assert "A note on copper" in copper["Also mentioned"]
    assert "A note on copper" not in copper.get("In focus", [])


def test_a_topic_with_only_passing_mentions_has_no_in_focus_section(site):
    # Peru is in focus nowhere: only the "Also mentioned" heading appears
    assert list(_sections(site, "countries/peru/")) == ["Also mentioned"]


def test_the_seed_country_pages(tmp_path):
    root = copy_project(tmp_path / "seed")
    output = build(root)
    china = _sections(output, "countries/china/")
    assert list(china) == ["In focus"]
    japan = _sections(output, "countries/japan/")
    assert list(japan) == ["Also mentioned"]
    assert china["In focus"] == japan["Also mentioned"]
