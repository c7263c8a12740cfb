"""Dates as pages write them: every common format and language, day and month never swapped,
and the publisher's own day kept (not the UTC one)."""

from __future__ import annotations

import pytest
from support.seed_pages import article_html, page
from test_html_seed import parse

from explainer.ingest.text_dates import find_dates
from explainer.text.dates import parse_date


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        ("Nov. 19, 2019 5:31 PM ET", "en", "2019-11-19"),
        ("19 listopada 2019", "pl", "2019-11-19"),
        ("2019-11-19", "", "2019-11-19"),
        ("Published 3 March 2026", "en", "2026-03-03"),
        ("3. März 2026, 14:02 Uhr", "de", "2026-03-03"),
        ("martes, 3 de mayo de 2022 · 23:57", "es", "2022-05-03"),
        ("le 7 févr. 2021", "fr", "2021-02-07"),
        ("2019. november 19.", "hu", "2019-11-19"),
        ("2019年11月19日", "ja", "2019-11-19"),
        ("기사입력 :[ 2018-09-28 17:32 ]", "ko", "2018-09-28"),
        ("05.10.2018", "de", "2018-10-05"),
        ("10/05/2018", "en", "2018-10-05"),
        ("10/05/2018", "fr", "2018-05-10"),
        ("25/12/2019", "en", "2019-12-25"),
        ("30/10/23", "de", "2023-10-30"),
    ],
)
def test_dates_in_any_common_format_and_language(text, language, day):
    assert [m.day.isoformat() for m in find_dates(text, language)] == [day]


def test_a_month_name_means_what_the_language_says():
    assert find_dates("1 listopad 2019", "hr")[0].day.month == 10  # Croatian: October
    assert find_dates("1 listopad 2019", "cs")[0].day.month == 11  # Czech: November


@pytest.mark.parametrize("text", ["February 30, 2026", "32.01.2026", "2026-13-45", "Tuesday"])
def test_impossible_or_partial_dates_are_not_dates(text):
    assert [m for m in find_dates(text, "en") if m.has_day] == []


def test_sentences_may_hold_several_dates():
    days = find_dates("Shares fell on 3 March 2026, after rising on March 1, 2026.", "en")
    assert [m.day.isoformat() for m in days] == ["2026-03-03", "2026-03-01"]


@pytest.mark.parametrize(
    ("value", "language", "day"),
    [("05.10.2018", "de", "2018-10-05"), ("10/05/2018", "en-US", "2018-10-05"),
     ("10/05/2018", "fr", "2018-05-10"), ("2018-10-05T22:00:00", "de", "2018-10-05")],
)  # fmt: skip
def test_numeric_metadata_dates_follow_the_page_language(value, language, day):
    assert parse_date(value, language).date().isoformat() == day


def test_a_european_page_date_is_not_read_month_first():
    head = '<meta name="date" content="05.10.2018">'
    seed = parse(page(head, article_html(), html_attrs=' lang="de"'))
    assert seed.date.date().isoformat() == "2018-10-05"


def test_the_publishers_local_day_beats_the_utc_day():
    # 5:31 PM in California on 19 November is already 20 November in UTC.
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "Chile opens lithium to private miners", '
        '"datePublished": "2019-11-20T01:31:00Z"}</script>'
        '<meta property="article:published_time" content="2019-11-19T17:31:00-08:00">'
    )
    seed = parse(page(head, article_html()))
    assert seed.date.date().isoformat() == "2019-11-19"


def test_a_utc_date_gives_way_to_the_day_the_page_shows():
    head = '<meta property="article:published_time" content="2019-11-20T01:31:00Z">'
    shown = '<p class="date">November 19, 2019</p>' + article_html()
    seed = parse(page(head, shown))
    assert seed.date.date().isoformat() == "2019-11-19"


def test_metadata_entities_are_decoded():
    head = (
        '<meta property="og:title" content="&amp;#8216;The Medium&amp;#8217; sells for '
        '&amp;#163;71.6m">'
        '<meta property="og:site_name" content="Mining &amp;amp; Metals">'
        '<meta name="author" content="Zo&amp;#235; Smith">'
    )
    seed = parse(page(head, article_html()))
    assert seed.title == "\u2018The Medium\u2019 sells for \u00a371.6m"
    assert seed.meta["site_name"] == "Mining & Metals"
    assert seed.meta["author"] == "Zo\u00eb Smith"


def test_json_ld_entities_are_decoded():
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", '
        '"headline": "&#8216;The Medium&#8217; sells for &#163;71.6m"}</script>'
    )
    seed = parse(page(head, article_html()))
    assert seed.title == "\u2018The Medium\u2019 sells for \u00a371.6m"
