"""Summaries: whole sentences from the lead, about 300 characters at most."""

from __future__ import annotations

from explainer.enrich.summary import summarise


def test_two_short_lead_sentences():
    body = (
        "First sentence is long enough to be a lead. "
        "Second one also counts as prose for the lead here."
        "\n\nThird sentence would make it too long for the summary limit, so it is left out."
    )
    assert summarise(body, max_chars=120) == (
        "First sentence is long enough to be a lead. "
        "Second one also counts as prose for the lead here."
    )


def test_never_cut_mid_sentence_and_at_most_300():
    sentence = "This sentence has exactly enough words to matter for the summariser today. "
    body = sentence * 10
    summary = summarise(body)
    assert len(summary) <= 300
    assert summary.endswith(".")
    assert summary in body


def test_abbreviations_do_not_end_a_sentence():
    body = "The U.S. Treasury and Mr. Smith said exports rose 3.5 pct in January. Later more."
    assert summarise(body).startswith("The U.S. Treasury and Mr. Smith said exports rose 3.5 pct")


def test_headings_and_lists_are_skipped():
    body = (
        "# Heading\n\n- a list item that is quite long indeed\n\n"
        "The lead paragraph says what happened here."
    )
    assert summarise(body) == "The lead paragraph says what happened here."


def test_one_overlong_sentence_is_kept_whole():
    sentence = "An extremely long sentence " + "with many clauses " * 30 + "ends here."
    assert summarise(sentence) == sentence
