"""Saved HTML pages as seeds: metadata sources, encodings, structure, furniture, safety."""

from __future__ import annotations

import codecs
import gzip
import json
import re

import markdown
import pytest
from bs4 import BeautifulSoup
from support.seed_pages import PARAGRAPHS, article_html, page

from explainer.cli import main
from explainer.ingest.extract import extract_article
from explainer.ingest.html_meta import strip_site_name
from explainer.ingest.html_seed import parse_html_seed
from explainer.ingest.ingestion import ingest
from explainer.ingest.seed_file import SeedError, read_seed
from explainer.text.markdown_text import markdown_to_text


def parse(html: str | bytes):
    data = html.encode("utf-8") if isinstance(html, str) else html
    return parse_html_seed(data, path="page.html", source="page.html")


def rendered(body: str) -> BeautifulSoup:
    """The body as Pelican's Markdown (with the "extra" extensions) turns it into HTML."""
    return BeautifulSoup(markdown.markdown(body, extensions=["extra"]), "html.parser")


# -- the article and what goes -------------------------------------------------------------------
def test_article_paragraphs_stay_whole_and_page_furniture_goes():
    seed = parse(page())
    assert seed.body.split("\n\n") == list(PARAGRAPHS)
    for furniture in (
        "Mining Weekly", "Markets", "cookies", "Share on", "Related articles", "Copper price falls",
        "comments", "Great article", "All rights reserved", "Privacy", "tracking", "nor me",
        "color: red",
    ):  # fmt: skip
        assert furniture not in seed.body, furniture


def test_the_headline_is_not_repeated_in_the_body():
    seed = parse(page())
    assert "Chile opens lithium" not in seed.body


def test_section_headings_set_in_header_elements_are_kept():
    sections = "".join(
        f"<section><header><h2>{heading}</h2></header><p>{paragraph}</p></section>"
        for heading, paragraph in (
            ("What the tenders mean for output", PARAGRAPHS[2]),
            ("Water is the constraint", PARAGRAPHS[3]),
        )
    )
    body = f"""<article><h1>Chile opens lithium to private miners</h1><div class="article-body">
<section><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></section>{sections}</div></article>"""
    blocks = parse(page(body=body)).body.split("\n\n")
    assert blocks == [
        *PARAGRAPHS[:2],
        "## What the tenders mean for output",
        PARAGRAPHS[2],
        "## Water is the constraint",
        PARAGRAPHS[3],
    ]


_LEAD = (
    "Two salt flats go to tender first, and miners from three continents have already lined "
    "up for a share of the metal that batteries cannot do without."
)


def _page_with_lead(lead_html: str, after: str = "") -> str:
    """The article with a standfirst (set apart as a teaser) that the page's description names."""
    body = f"""<article><header><h1>Chile opens lithium to private miners</h1>{lead_html}</header>
<div class="article-body">{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</div></article>{after}"""
    # Descriptions are often the lead cut short.
    return page(head=f'<meta property="og:description" content="{_LEAD[:100]}…">', body=body)


def test_the_standfirst_the_page_describes_opens_the_body():
    seed = parse(_page_with_lead(f'<p class="article-teaser">{_LEAD}</p>'))
    assert seed.body.split("\n\n") == [_LEAD, *PARAGRAPHS]


def test_a_description_shown_only_after_the_article_is_not_its_standfirst():
    seed = parse(_page_with_lead("", after=f'<div class="promo"><p>{_LEAD}</p></div>'))
    assert _LEAD not in seed.body


def _page_with_own_description(between: str, before_body: str = "") -> str:
    """The article with `between` set between its headline and its text, and a description
    of the page's own (an SEO summary) that names no part of it."""
    body = f"""<article><div class="article-head"><h1>Chile opens lithium to private miners</h1>
{between}</div><div class="article-body">{before_body}{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</div></article>"""
    description = (
        "Everything about the lithium tenders in Chile: who bids, and when the flats open."
    )
    return page(head=f'<meta name="description" content="{description}">', body=body)


def test_a_lead_the_description_does_not_name_opens_the_body():
    # Set apart as a teaser, so the extractor drops it; found by where it stands instead.
    seed = parse(_page_with_own_description(f'<p class="article-teaser">{_LEAD}</p>'))
    assert seed.body.split("\n\n") == [_LEAD, *PARAGRAPHS]


@pytest.mark.parametrize(
    "between",
    [
        # a picture's caption
        f'<figure class="article-teaser"><img src="https://example.org/salar.jpg" alt="">'
        f"<figcaption>{_LEAD}</figcaption></figure>",
        '<div class="article-teaser"><img src="https://example.org/salar.jpg" alt="">'
        f"<p>{_LEAD}</p></div>",
        # links to other stories, a form
        f'<p class="article-teaser"><a href="/other">{_LEAD}</a></p>',
        f'<form class="article-teaser"><p>{_LEAD}</p><input type="email"></form>',
        # the author's box, set apart from the article's header and body
        '<div class="article-teaser"><div class="author"><div class="about"><div class="text">'
        f"<p>{_LEAD}</p></div></div></div></div>",
    ],
)
def test_what_stands_between_headline_and_body_but_is_no_lead_stays_out(between):
    assert _LEAD not in parse(_page_with_own_description(between)).body


def test_a_blogs_own_description_under_its_name_is_no_lead():
    # The blog's name is the page's <h1>; its description follows; the post comes after.
    home = "https://saltflatnotes.example.org/"
    body = f"""<div class="header"><h1><a href="{home}">Salt Flat Notes</a></h1>
<div class="about"><p class="description">{_LEAD}</p></div></div>
<article><h3>Chile opens lithium to private miners</h3>
<div class="post-body">{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}</div></article>"""
    head = '<meta property="og:title" content="Chile opens lithium to private miners">'
    seed = parse(page(head=head, body=body, title="Salt Flat Notes: Chile opens lithium"))
    assert seed.title == "Chile opens lithium to private miners"
    assert _LEAD not in seed.body


def test_an_article_of_short_lines_is_kept_whole():
    # A photo series' data sheet: headings and one-line paragraphs, none of them long.
    sheet = (
        ("Places", "Shuji: Japan.", "Walter: Germany."),
        ("Film", "Fuji X-TRA 400.", "Ilford HP5."),
        ("Cameras", "Shuji: Widelux.", "Walter: Pentax Z-1p."),
    )
    body = "<article><h1>Chile opens lithium to private miners</h1><div class='entry-content'>"
    body += "".join(f"<h3>{h}</h3><p>{a}</p><p>{b}</p>" for h, a, b in sheet) + "</div></article>"
    # The article as extracted (its headings are Markdown headings), not the page's text.
    assert parse(page(body=body)).body.split("\n\n") == [
        line for h, a, b in sheet for line in (f"### {h}", a, b)
    ]


@pytest.mark.parametrize(
    "furniture",
    [
        "<p>Advertisement</p>",
        "<p>Read more: Copper miners brace for a long strike at Escondida</p>",
        "<p>Related: Why lithium prices crashed</p>",
        "<p>By Jane Smith, Mining Reporter</p>",
        "<p>Published: 3 March 2026</p>",
        "<p>Photo: John Doe / Reuters</p>",
        "<p>Sign up for our daily newsletter to get mining news in your inbox</p>",
        "<p>Follow Jane Smith on Twitter: @janesmith</p>",
        "<p>(Reporting by Jane Smith; Editing by John Doe)</p>",
        "<p><strong><a href='/other'>COPPER STRIKE ENTERS THIRD WEEK</a></strong></p>",
        "<p>Copyright 2026 Mining Weekly</p>",
    ],
)
def test_furniture_inside_the_article_body_goes(furniture):
    middle = "<p>" + PARAGRAPHS[1] + "</p>" + furniture
    body = article_html(PARAGRAPHS[:1] + PARAGRAPHS[2:], extra="")
    body = body.replace("<p>" + PARAGRAPHS[2] + "</p>", middle + "<p>" + PARAGRAPHS[2] + "</p>")
    seed = parse(page(body=body))
    assert seed.body.split("\n\n") == list(PARAGRAPHS)


def test_structure_is_kept_headings_lists_quotes_tables_links_images():
    extra = """
<h2>What the tender covers</h2>
<p>The tender has <strong>three</strong> parts, the
<a href="/docs/tender.pdf">ministry said</a>:</p>
<ul><li>exploration rights in Maricunga;</li><li>a new brine processing plant;</li>
<li>water rights in the Atacama basin.</li></ul>
<ol><li>Bids open in March.</li><li>Winners are named in June.</li></ol>
<blockquote><p>"This is a historic day for Chilean mining," the minister said at the launch.</p>
</blockquote>
<table><tr><th>Producer</th><th>Output (t)</th></tr><tr><td>Chile</td><td>44,000</td></tr>
<tr><td>Australia</td><td>86,000</td></tr></table>
<figure><img src="/img/salar.jpg" alt="The Atacama salt flat">
<figcaption>Salar</figcaption></figure>
<p>Officials said the rules would be published before the end of the year in the gazette.</p>
<figure><img src="/img/no-alt.jpg"></figure>
<p>The first licences are expected to be signed in the second half of next year, they said.</p>
"""
    head = '<link rel="canonical" href="https://mining.example/news/chile-lithium">'
    seed = parse(page(head=head, body=article_html(extra=extra)))
    body = seed.body
    assert "## What the tender covers" in body
    assert "The tender has **three** parts" in body
    assert "[ministry said](https://mining.example/docs/tender.pdf)" in body
    assert "- exploration rights in Maricunga;" in body
    assert "1. Bids open in March.\n2. Winners are named in June." in body
    assert '> "This is a historic day for Chilean mining,"' in body
    assert "| Producer | Output (t) |\n| --- | --- |\n| Chile | 44,000 |" in body
    assert "![The Atacama salt flat](https://mining.example/img/salar.jpg)" in body
    assert "no-alt" not in body
    html = rendered(body)
    assert html.find("h2").get_text() == "What the tender covers"
    assert len(html.find("ul").find_all("li")) == 3
    assert html.find("blockquote") is not None
    assert html.find("table").find("th").get_text() == "Producer"
    assert html.find("img")["alt"] == "The Atacama salt flat"


def test_relative_links_without_a_base_url_keep_their_text_only():
    extra = '<p>The ministry <a href="/docs/tender.pdf">published the rules</a> on its site.</p>'
    seed = parse(page(body=article_html(extra=extra)))
    assert "published the rules on its site." in seed.body
    assert "](" not in seed.body


def test_base_href_resolves_links():
    head = '<base href="https://mining.example/news/">'
    extra = '<p>The ministry <a href="rules.html">published the rules</a> on its site today.</p>'
    seed = parse(page(head=head, body=article_html(extra=extra)))
    assert "[published the rules](https://mining.example/news/rules.html)" in seed.body


# -- safety: nothing live from the page survives -------------------------------------------------
HOSTILE = """
<p>Prices rose <img src="x" onerror="alert(1)" alt="x">sharply
<script>alert(2)</script> today.</p>
<p>See <a href="javascript:alert(3)">the chart</a> or
<a href="data:text/html,<script>alert(4)</script>">this</a> or
<a href=" JaVaScRiPt:alert(5)">that</a> or <a href="https://ok.example/a(b)c">ok</a>.</p>
<p>Attack &lt;script&gt;alert(6)&lt;/script&gt; and [x](javascript:alert(7)) and
{: onclick="alert(8)"} and <svg><script>alert(9)</script></svg> and
<iframe src="https://evil.example/"></iframe> end.</p>
<p onclick="alert(10)">Click <b onmouseover="alert(11)">here</b>
&lt;img src=x onerror=alert(12)&gt;.</p>
<img src="javascript:alert(13)" alt="bad image">
<img src="https://ok.example/i.png" alt='" onerror="x'>
"""


def test_no_script_event_handler_or_javascript_url_survives():
    seed = parse(page(body=article_html(extra=HOSTILE)))
    html = rendered(seed.body)
    assert html.find(["script", "iframe", "svg", "object", "embed"]) is None
    for element in html.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (element, name)
            text = " ".join(value) if isinstance(value, list) else value
            assert not re.match(r"\s*(javascript|data|vbscript):", text, re.IGNORECASE), element
    hrefs = [a["href"] for a in html.find_all("a")]
    assert hrefs == ["https://ok.example/a%28b%29c"]
    assert "alert(2)" not in seed.body and "alert(9)" not in seed.body
    # Text that merely *looks* like markup is shown as text.
    assert "<script>alert(6)</script>" in html.get_text()


# -- metadata, one source at a time --------------------------------------------------------------
def json_ld(**fields) -> str:
    data = json.dumps({"@type": "NewsArticle", **fields})
    return f'<script type="application/ld+json">{data}</script>'


def test_title_prefers_json_ld_headline_then_og_title_then_h1_then_title_tag():
    og = '<meta property="og:title" content="OG title for the lithium story">'
    assert parse(page(head=json_ld(headline="LD headline") + og)).title == "LD headline"
    assert parse(page(head=og)).title == "OG title for the lithium story"
    assert parse(page()).title == "Chile opens lithium to private miners"
    no_h1 = article_html().replace("<h1>Chile opens lithium to private miners</h1>", "")
    seed = parse(page(body=no_h1, title="Lithium tender opens - Mining Weekly"))
    assert seed.title == "Lithium tender opens"


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Lithium prices fall | Mining Weekly", "Mining Weekly", "Lithium prices fall"),
        ("Mining Weekly - Lithium prices fall again", "Mining Weekly", "Lithium prices fall again"),
        ("Lithium prices fall — The Mining Journal", "", "Lithium prices fall"),
        ("Q&A: why lithium prices fall | Mining Weekly", "", "Q&A: why lithium prices fall"),
        ("Lithium prices fall", "", "Lithium prices fall"),
    ],
)
def test_title_tag_loses_its_site_name(title, site, expected):
    assert strip_site_name(title, site) == expected


@pytest.mark.parametrize(
    ("head", "body_extra", "expected"),
    [
        (json_ld(datePublished="2026-01-13T08:00:00Z"), "", "2026-01-13T08:00:00+00:00"),
        ('<meta property="article:published_time" content="2026-02-01">', "", "2026-02-01"),
        ("", '<time datetime="2026-03-04">4 March</time>', "2026-03-04"),
        ("", "<p>5 April 2026</p>", "2026-04-05"),
    ],
)
def test_date_sources(head, body_extra, expected):
    body = article_html().replace(
        '<div class="article-body">', body_extra + '<div class="article-body">'
    )
    seed = parse(page(head=head, body=body))
    assert seed.date is not None
    from explainer.model import iso_date

    assert iso_date(seed.date) == expected


def test_json_ld_date_beats_meta_and_time():
    head = json_ld(datePublished="2026-01-13") + (
        '<meta property="article:published_time" content="2025-01-01">'
    )
    body = article_html().replace("<h1>", '<time datetime="2024-01-01">x</time><h1>')
    assert parse(page(head=head, body=body)).date.date().isoformat() == "2026-01-13"


def test_author_site_name_language_and_canonical_source():
    head = (
        json_ld(author=[{"@type": "Person", "name": "Jane Smith"}, {"name": "Li Wei"}])
        + '<meta property="og:site_name" content="Mining Weekly">'
        + '<link rel="canonical" href="https://mining.example/news/chile-lithium">'
    )
    seed = parse(page(head=head, html_attrs=' lang="en_gb"'))
    assert seed.meta["author"] == "Jane Smith, Li Wei"
    assert seed.meta["site_name"] == "Mining Weekly"
    assert seed.meta["lang"] == "en-GB"
    assert seed.source == "https://mining.example/news/chile-lithium"


def test_author_from_meta_tag_and_relative_canonical_against_og_url():
    head = (
        '<meta name="author" content="By Jane Smith">'
        '<meta property="og:url" content="https://mining.example/x?utm=1">'
        '<link rel="canonical" href="/news/chile-lithium">'
    )
    seed = parse(page(head=head))
    assert seed.meta["author"] == "Jane Smith"
    assert seed.source == "https://mining.example/news/chile-lithium"


def test_without_a_canonical_url_the_source_is_the_file_name():
    assert parse(page()).source == "page.html"


# -- encodings -----------------------------------------------------------------------------------
RUSSIAN = "Россия увеличила добычу никеля и палладия на Таймыре, сообщила компания в понедельник."


def cyrillic_page(charset_tag: str) -> str:
    paragraphs = tuple(f"{RUSSIAN} Абзац номер {n} продолжает рассказ о руднике." for n in range(4))
    return page(
        head=charset_tag,
        body=article_html(paragraphs).replace("Chile opens lithium to private miners", "Никель"),
        html_attrs=' lang="ru"',
        title="Никель",
    ).replace('<meta charset="utf-8">', "")


def test_declared_charset_is_honoured():
    data = cyrillic_page('<meta charset="windows-1251">').encode("cp1251")
    seed = parse(data)
    assert RUSSIAN in seed.body and seed.meta["lang"] == "ru"


def test_http_equiv_charset_is_honoured():
    tag = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">'
    seed = parse(cyrillic_page(tag).encode("koi8-r"))
    assert RUSSIAN in seed.body


def test_undeclared_windows_1252_is_detected():
    text = "The café’s owner said “déjà vu” as nickel prices fell — again — in São Paulo."
    paragraphs = tuple(f"{text} Paragraph {n} goes on with more detail." for n in range(4))
    html = page(body=article_html(paragraphs)).replace('<meta charset="utf-8">', "")
    seed = parse(html.encode("cp1252"))
    assert text in seed.body


def test_wrongly_declared_latin1_page_that_is_really_utf8():
    html = page(body=article_html((PARAGRAPHS[0] + " Zürich — ok.", *PARAGRAPHS[1:])))
    seed = parse(html.replace('charset="utf-8"', 'charset="iso-8859-1"').encode("utf-8"))
    assert "Zürich — ok." in seed.body


@pytest.mark.parametrize(
    ("bom", "codec"), [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le")]
)
def test_byte_order_mark_wins(bom, codec):
    html = page(body=article_html((PARAGRAPHS[0] + " Kraków.", *PARAGRAPHS[1:])))
    seed = parse(bom + html.replace('charset="utf-8"', 'charset="windows-1252"').encode(codec))
    assert "Kraków." in seed.body


# -- files, errors, ingestion --------------------------------------------------------------------
def test_gzipped_html_seed_is_read(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(page().encode()))
    seed = read_seed(path)
    assert seed.body.split("\n\n") == list(PARAGRAPHS)


def test_page_without_article_text_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><title>Nothing here</title></head><body><nav>Home</nav></body></html>"
    )
    with pytest.raises(SeedError, match="no article text"):
        read_seed(path)


def test_extract_json_on_an_html_seed(tmp_path, capsys):
    path = tmp_path / "chile.html"
    head = json_ld(headline="Chile opens lithium to private miners", datePublished="2026-01-13")
    path.write_text(page(head=head))
    assert main(["extract", "--json", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"] == "Chile opens lithium to private miners"
    assert record["date"] == "2026-01-13"
    assert {"Chile", "Australia", "China", "United States"} <= {
        c["name"] for c in record["countries"]
    }
    assert "lithium" in {m["slug"] for m in record["minerals"]}
    assert record["summary"].startswith("Chile's government said on Monday")
    assert markdown_to_text(record["body"]).startswith("Chile's government")


def test_ingest_writes_author_lang_and_canonical_source(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    head = (
        json_ld(author={"name": "Jane Smith"}, datePublished="2026-01-13")
        + '<link rel="canonical" href="https://mining.example/news/chile-lithium">'
    )
    (seeds / "chile.html").write_text(page(head=head))
    report = ingest([seeds], tmp_path / "content")
    assert report.ok and len(report.written) == 1
    text = report.written[0].read_text(encoding="utf-8")
    header = dict(line.partition(": ")[::2] for line in text.split("\n\n", 1)[0].splitlines())
    assert header["Author"] == "Jane Smith"
    assert header["Lang"] == "en"
    assert header["Source"] == "https://mining.example/news/chile-lithium"
    assert header["Date"] == "2026-01-13"


@pytest.mark.slow
def test_html_seeds_in_other_languages_build_into_the_site(tmp_path):
    from support.built_pages import page as built_page
    from support.project import build, copy_project

    root = copy_project(tmp_path / "site")
    english = page(
        head='<link rel="canonical" href="https://mining.example/news/chile">'
        + json_ld(datePublished="2026-02-02")
    )
    (root / "seeds" / "chile.html").write_text(english.replace('lang="en"', 'lang="en-US"'))
    russian_page = cyrillic_page(
        '<meta charset="windows-1251">' + json_ld(datePublished="2026-02-03")
    )
    (root / "seeds" / "nickel.html.gz").write_bytes(gzip.compress(russian_page.encode("cp1251")))
    output = build(root)
    index = built_page(output, "")
    links = {a["href"].strip("./") for a in index.find_all("a", href=True)}
    assert "articles/chile-opens-lithium-to-private-miners" in links
    article = built_page(output, "articles/chile-opens-lithium-to-private-miners/")
    assert "would open two new lithium projects to private investors" in article.get_text(" ")
    assert article.find("html")["lang"] == "en-US"
    assert built_page(output, "countries/chile/").find("a", string=re.compile("Chile opens"))
    russian = next(p for p in (root / "content" / "articles").iterdir() if "nikel" in p.name)
    article = built_page(output, f"articles/{russian.stem}/")
    assert RUSSIAN in article.get_text(" ")
    assert not list(output.glob("*-en-US.html")) and not list(output.glob("*-ru.html"))


def test_meta_itemprop_with_several_names_gives_the_date():
    head = (
        '<meta property="article:published" itemprop="datePublished dateCreated"'
        ' content="2026-01-13T11:00:09Z">'
    )
    assert parse(page(head=head)).date.date().isoformat() == "2026-01-13"


def test_a_site_logo_h1_is_not_the_title():
    logo = '<div id="header"><a href="/"><h1>Mining Weekly</h1></a></div>'
    body = logo + article_html().replace("<h1>Chile opens lithium to private miners</h1>", "")
    seed = parse(page(body=body, title="Lithium tender opens in Chile - Mining Weekly"))
    assert seed.title == "Lithium tender opens in Chile"


def test_by_is_dropped_from_authors():
    seed = parse(page(head=json_ld(author={"name": "By JANE SMITH, Associated Press"})))
    assert seed.meta["author"] == "JANE SMITH, Associated Press"


# -- invisible characters ------------------------------------------------------------------------
def test_soft_hyphens_and_zero_width_spaces_do_not_split_words(tmp_path):
    """Pages hyphenate long words for the browser (&shy;, U+00AD) and break URLs with zero-width
    spaces: the article keeps the words whole, so the tagger, the summary and search read them."""
    words = "Chile's state miner Codelco said co&shy;balt and lith\u00adium out&#173;put rose"
    paragraphs = (f"{words} in the third quarter, beating its own fore\u200bcast.", *PARAGRAPHS[1:])
    seed_file = tmp_path / "page.html"
    seed_file.write_text(page(body=article_html(paragraphs)), encoding="utf-8")
    text_file = tmp_path / "page.txt"
    text_file.write_text(
        "Chile opens lithium to private miners\n\n"
        "5 March 2026\n\n"
        f"{words.replace('&shy;', chr(0xAD)).replace('&#173;', chr(0xAD))} in the third "
        "quarter.\n\n" + "\n\n".join(PARAGRAPHS[1:]) + "\n",
        encoding="utf-8",
    )
    for path in (seed_file, text_file):
        article = extract_article(path)
        body = article.seed.body
        assert "cobalt and lithium output rose" in body, path.name
        assert not set("\u00ad\u200b\u2060\ufeff") & set(body + article.seed.title), path.name
        assert {"cobalt", "lithium"} <= {m.slug for m in article.tags.minerals}, path.name
