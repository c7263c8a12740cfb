"""Scraped-text seeds: furniture goes, the article and its paragraphs stay whole."""

from __future__ import annotations

import pytest

from explainer.ingest.seed_file import SeedError
from explainer.ingest.text_seed import parse_text_seed


def parse(text: str):
    return parse_text_seed(text, path="x.txt", source="x.txt")


def test_breadcrumb_repeated_title_and_date_line_are_dropped():
    seed = parse(
        "Home >> News >> Lithium prices fall\nLithium prices fall\n\nLithium prices fall\n\n"
        "2 March 2026\n\nLithium prices fell again on Monday, traders said.\n\nLatest News"
    )
    assert seed.title == "Lithium prices fall"
    assert seed.date.date().isoformat() == "2026-03-02"
    assert seed.body == "Lithium prices fell again on Monday, traders said."


def test_hard_wrapped_paragraphs_are_joined_and_indents_start_new_ones():
    seed = parse(
        "ZAMBIA RAISES COPPER OUTPUT\n2-MAR-1987 10:00:00.00\n"
        "LUSAKA, March 2 - Zambia raised copper\noutput in 1986, the mining company said.\n"
        "    It said exports rose.\n Reuter\n"
    )
    assert seed.body.split("\n\n") == [
        "LUSAKA, March 2 - Zambia raised copper output in 1986, the mining company said.",
        "It said exports rose.",
    ]


def test_a_real_last_paragraph_is_kept():
    seed = parse("Title here\n\nFirst paragraph is here.\n\nShort last one.")
    assert seed.body.endswith("Short last one.")


def test_markdown_and_html_in_seed_text_stay_text():
    seed = parse("A title\n\n1987. Prices *rose* to [a](javascript:x) <script>alert(1)</script>")
    assert "<script>" not in seed.body
    assert "&lt;script\\>" in seed.body
    assert seed.body.startswith("1987\\.")


def test_no_title_is_a_clear_error():
    long_paragraph = "word " * 300 + "end."
    with pytest.raises(SeedError, match="no title"):
        parse(long_paragraph)


def test_no_body_is_a_clear_error():
    with pytest.raises(SeedError, match="no article text"):
        parse("Only a title\n\n13 Jan 2026\n")
