"""Glossary terms and linking their first use in article HTML."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support.project import REPO

from explainer.site.glossary import GlossaryError, Term, link_first_uses, load_glossary

TERMS = (
    Term("rare-earth-elements", "Rare earth elements", ("rare earths", "REEs"), "<p>…</p>"),
    Term("g20", "G20", ("Group of Twenty",), "<p>…</p>"),
    Term("export-controls", "Export controls", ("export curbs",), "<p>…</p>"),
)


def link(html: str) -> tuple[BeautifulSoup, list[str]]:
    out, linked = link_first_uses(html, TERMS, lambda t: f"/glossary/#{t.slug}")
    return BeautifulSoup(out, "html.parser"), linked


def test_only_the_first_use_of_each_term_is_linked():
    html, linked = link("<p>Rare earths matter. More rare earths. The G20 met; the G20 spoke.</p>")
    anchors = html.find_all("a")
    assert [(a.get_text(), a["href"]) for a in anchors] == [
        ("Rare earths", "/glossary/#rare-earth-elements"),
        ("G20", "/glossary/#g20"),
    ]
    assert linked == ["rare-earth-elements", "g20"]
    assert html.get_text() == "Rare earths matter. More rare earths. The G20 met; the G20 spoke."


def test_headings_links_and_code_are_skipped():
    html, _ = link(
        "<h2>Rare earths</h2><p><a href='x'>export curbs</a> and <code>G20</code></p>"
        "<pre>rare earths</pre><p>Then rare-earths and export curbs and the G20.</p>"
    )
    terms = [a for a in html.find_all("a") if a.get("href", "").startswith("/glossary/")]
    assert [a.get_text() for a in terms] == ["rare-earths", "export curbs", "G20"]
    assert all(a.find_parent("p") for a in terms)


def test_acronyms_match_only_in_capitals_and_words_only_whole():
    html, linked = link("<p>The g20 and rare earthsy minerals, not G200.</p>")
    assert linked == []
    assert html.find("a") is None


def test_the_sites_glossary_defines_the_terms_readers_meet():
    terms = load_glossary(REPO / "content" / "glossary.toml")
    names = {t.name for t in terms}
    for expected in (
        "Critical minerals", "Rare earth elements", "Export controls", "General licence",
        "Reserves vs production", "Oxide equivalent", "UNIDO", "G20",
    ):  # fmt: skip
        assert expected in names
    assert all(t.definition.startswith("<p>") for t in terms)
    assert len({t.slug for t in terms}) == len(terms)


def test_a_form_used_by_two_terms_is_an_error_naming_the_file(tmp_path: Path):
    path = tmp_path / "glossary.toml"
    path.write_text(
        '[[term]]\nname = "Rare earths"\ndefinition = "x"\n'
        '[[term]]\nname = "REE"\naliases = ["rare-earths"]\ndefinition = "y"\n',
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match=r"glossary\.toml: term 'REE'"):
        load_glossary(path)


def test_no_glossary_file_means_no_terms(tmp_path: Path):
    assert load_glossary(tmp_path / "missing.toml") == ()


@pytest.mark.parametrize(
    "text",
    [
        "Rare earths, rare-earth oxide and rare earth elements; REEs and REE, rare.",
        "RARE EARTHS and Rare-Earths, the rarest earths; G20 and the g20.",
        "ſupply chains, then a supply: Rare earthſ, rare ea\u00adrths, Ärare earths, "
        "rare\u00a0earths.",
        "Export curbs, export-curbs, Export Curbs, exports curbs, export curbing.",
    ],
)
def test_each_word_is_matched_against_the_forms_it_begins_as_the_whole_pattern_does(text):
    """At each word only the forms beginning with it are tried (a fifth of linking's time);
    the matches must be the whole alternation's, case pairs beyond ASCII included."""
    import dataclasses

    from explainer.site.glossary import _matcher

    terms = (
        *TERMS,
        Term("rare-earth-oxide", "Rare-earth oxide", ("REO",), "<p>…</p>"),
        Term("supply-chain", "Supply chain", ("supply chains", "ſupply"), "<p>…</p>"),
    )
    narrow = _matcher(terms)
    whole = dataclasses.replace(narrow, exact_by_start={}, folded_by_start={})
    assert narrow.folded_by_start  # the narrowed patterns are in use

    def found(matcher):
        return [[(m.span(), t and t.slug) for m, t in scan] for scan in matcher.scan(text)]

    assert found(narrow) == found(whole)
    assert found(narrow)[1]  # the case-insensitive forms matched something


@pytest.mark.parametrize(
    "text",
    [
        "Rare earths from İstanbul: RARE EARTHS, rare-earth oxide, Supply chains.",
        "A dotless ı beside rare earths; supply chaıns and raRE earths.",
        "Long s: ſupply chains, rare earthſ; then supply chains.",
        "The Kelvin sign: \u212aelvin, rare \u212aarths, supply CHAINS, RARE earths.",
        "Σ and ς around Rare earths; ǅ title case, rare earths.",
    ],
)
def test_start_words_found_in_the_lower_case_text_are_those_ignorecase_finds(text):
    """Case-insensitive forms' start words are looked for in the lower-case text when it is
    as long as the text and holds no letter IGNORECASE pairs with another (dotless i, long
    s): the matches must be those of the whole pattern tried at every position."""
    import dataclasses

    from explainer.site.glossary import _matcher

    terms = (
        *TERMS,
        Term("rare-earth-oxide", "Rare-earth oxide", ("REO",), "<p>…</p>"),
        Term("supply-chain", "Supply chain", ("supply chains",), "<p>…</p>"),
    )
    fast = _matcher(terms)
    everywhere = dataclasses.replace(fast, exact_starts=None, folded_starts=None)
    assert fast.starts_at_words and all(w.isascii() for w in fast.folded_starts)

    def found(matcher):
        return [[(m.span(), t and t.slug) for m, t in scan] for scan in matcher.scan(text)]

    assert found(fast) == found(everywhere)
    assert found(fast)[1]
