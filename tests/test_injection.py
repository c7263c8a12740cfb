"""Script injection through seeds: nothing a seed carries can run in a reader's browser.

Seeds (text and saved pages) carry the OWASP filter-evasion strings and Markdown's own tricks
in their text, title and metadata; after ingestion and a published build (feeds included) no
page and no feed entry holds a script, an event handler or a script URL, and the strings that
were text are still there to read.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from lxml import etree
from support.built_pages import markup_not_from_the_theme, page
from support.project import build, copy_project
from support.xss_payloads import ALL, MARKDOWN, OWASP

from explainer.ingest.ingestion import ingest
from explainer.ingest.seed_file import read_seed
from explainer.model import SeedArticle
from explainer.text.safe_markup import live_markup, render_markdown_html, unsafe_markup

SITEURL = "https://example.org/sub"
BODY = (
    "Cobalt prices rose sharply in the Democratic Republic of Congo this week, traders said, "
    "as export quotas took effect and buyers in China scrambled for supply."
)


def text_seed() -> str:
    paragraphs = [BODY, *(f"Payload {n}: {p}" for n, p in enumerate(ALL)), BODY]
    title = "<script>alert('title')</script> Cobalt quotas <img src=x onerror=alert(1)>"
    return f"{title}\n\nJanuary 20, 2026\n\n" + "\n\n".join(paragraphs) + "\n"


def html_seed_raw() -> str:
    """A page whose markup is the attack: payloads in the head, the metadata and the body."""
    payloads = "\n".join(f"<p>Payload {n}: {p}</p>" for n, p in enumerate(OWASP))
    return f"""<!DOCTYPE html>
<html lang='en" onload="alert(1)'><head><meta charset="utf-8">
<title></title><script>alert("XSS");</script> Lithium tender | Mining Weekly</title>
<meta property="og:title" content='"><script>alert(1)</script>'>
<meta name="author" content="<img src=x onerror=alert(1)>">
<link rel="canonical" href="javascript:alert('canonical')"></head>
<body><article><h1>Lithium tender opens</h1><p>{BODY}</p>
{payloads}
<p>{BODY}</p></article></body></html>"""


def html_seed_text() -> str:
    """A page that writes about the attacks: the payloads are its text, escaped, and its links,
    images and metadata try script URLs."""
    ld = json.dumps(
        {
            "@type": "NewsArticle",
            "headline": 'Nickel <img src=x onerror="alert(1)"> "tender" opens',
            "datePublished": "2026-02-03",
            "author": {"name": "<script>alert('author')</script>"},
        }
    )
    # Its own words around the payloads: the text seed quotes the same payloads, and two seeds
    # that share most of their text are one story (ingest/story_merge.py).
    escaped = "\n".join(
        f"<p>Shown {n} of the attacks our nickel desk keeps on file, verbatim: {html.escape(p)}</p>"
        for n, p in enumerate(ALL)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Nickel tender | Mining Weekly</title>
<link rel="canonical" href=" javascript:alert('canonical')">
<script type="application/ld+json">{ld}</script></head>
<body><article><h1>Nickel tender opens</h1>
<p>{BODY} See <a href="javascript:alert(1)">a chart</a>,
<a href="https://ok.example/report">the report</a> and
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">the data</a>.</p>
<p><img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="data image">
<img src="javascript:alert(1)" alt="script image"></p>
{escaped}
<p>{BODY}</p></article></body></html>"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    (root / "seeds" / "hostile.txt").write_text(text_seed(), encoding="utf-8")
    (root / "seeds" / "hostile-raw.html").write_text(html_seed_raw(), encoding="utf-8")
    (root / "seeds" / "hostile-text.html").write_text(html_seed_text(), encoding="utf-8")
    return build(root, "publishconf.py", env={"SITEURL": SITEURL})


def plain_quotes(text: str) -> str:
    """Undo Markdown's smarty typography ("XSS" is shown with curly quotes)."""
    table = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "--"}
    return text.translate(str.maketrans(table)).replace("&hellip;", "...")


def feed_entries(feed: Path) -> list[str]:
    tree = etree.parse(str(feed))
    return [
        el.text or "" for el in tree.iter() if etree.QName(el).localname in ("content", "summary")
    ]


@pytest.mark.slow
def test_the_built_site_has_no_script_handler_or_script_url(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    feeds = list(hostile_site.rglob("*.xml"))
    assert len(pages) > 10 and feeds
    for path in pages:
        assert markup_not_from_the_theme(path) == [], path
    entries = [entry for feed in feeds for entry in feed_entries(feed)]
    assert any("Payload" in entry for entry in entries)
    for entry in entries:
        assert live_markup(entry) == [], entry[:200]


@pytest.mark.slow
def test_payload_text_from_a_text_seed_is_kept_as_visible_text(hostile_site):
    articles = list((hostile_site / "articles").glob("*cobalt-quotas*/index.html"))
    assert len(articles) == 1
    article = page(hostile_site, str(articles[0].parent.relative_to(hostile_site)) + "/")
    text = plain_quotes(article.get_text())
    assert "<script>alert('title')</script> Cobalt quotas" in plain_quotes(article.h1.get_text())
    assert '<<SCRIPT>alert("XSS");//\\<</SCRIPT>' in text
    assert "[click](javascript:alert(1))" in text
    assert "{: onclick=" in text
    assert text.count("Payload ") == len(ALL)


@pytest.mark.slow
def test_a_saved_page_keeps_its_words_and_loses_its_markup(hostile_site):
    articles = [p for p in (hostile_site / "articles").glob("*/index.html") if "nickel" in str(p)]
    assert len(articles) == 1
    article = page(hostile_site, str(articles[0].parent.relative_to(hostile_site)) + "/")
    assert article.h1.get_text().startswith("Nickel")
    text = plain_quotes(article.get_text())
    assert "<SCRIPT>alert('XSS');</SCRIPT>" in text  # page text that looks like markup stays text
    assert text.count("Shown ") == len(ALL)
    assert {a["href"] for a in article.select(".prose a")} == {"https://ok.example/report"}
    assert article.select(".prose img") == []
    assert "javascript" not in str(article.select_one(".article__footer") or "")


@pytest.mark.slow
def test_a_page_made_of_attacks_still_becomes_an_inert_article(hostile_site):
    articles = [p for p in (hostile_site / "articles").glob("*/index.html") if "script" in str(p)]
    assert articles
    for path in articles:
        soup = page(hostile_site, str(path.parent.relative_to(hostile_site)) + "/")
        assert soup.html.attrs == {"lang": "en"}  # not lang='en" onload="alert(1)'
        assert live_markup(str(soup)) == []


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" JaVa&#x09;script:alert(1)">x</a>',
        "<iframe src=https://evil.example/></iframe>",
        "<svg/onload=alert(1)>",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<object data="https://evil.example/x.swf"></object>',
        '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
        '<base href="https://evil.example/">',
        '<div style="width: expression(alert(1))">x</div>',
        '<form action="javascript:alert(1)"><button>go</button></form>',
        '<details open ontoggle="alert(1)">x</details>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
        "<text>x</text></a></svg>",
    ],
)
def test_the_checker_sees_live_markup(payload):
    """The scan above can fail: each of these is found (in a fragment and in a whole page)."""
    assert live_markup(payload)
    assert live_markup(f"<!DOCTYPE html><html><head></head><body>{payload}</body></html>")
    assert unsafe_markup(payload)


def test_theme_scripts_can_be_allowed_by_url():
    page_html = '<html><body><script src="/__livereload.js" defer></script></body></html>'
    assert live_markup(page_html)
    assert live_markup(page_html, allowed_scripts=frozenset({"/__livereload.js"})) == []


@pytest.mark.parametrize("payload", MARKDOWN)
def test_markdown_tricks_in_a_text_seed_render_as_text(tmp_path, payload):
    seed = tmp_path / "trick.txt"
    seed.write_text(f"Cobalt news\n\n{BODY}\n\n{payload}\n\n{BODY}\n", encoding="utf-8")
    article = read_seed(seed)
    rendered = render_markdown_html(article.body)
    assert live_markup(rendered) == [] and unsafe_markup(rendered) == []


def test_markdown_that_would_render_as_markup_falls_back_to_plain_text(monkeypatch, tmp_path):
    """Belt and braces: if the page-to-Markdown step ever let markup through, ingestion writes
    the article as plain paragraphs instead, and says so."""
    leaky = SeedArticle(
        path="page.html",
        title="Leaky page",
        date=None,
        body=f"{BODY}\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>bold</b>",
        source="page.html",
    )
    monkeypatch.setattr("explainer.ingest.seed_file.parse_html_seed", lambda *a, **k: leaky)
    (tmp_path / "page.html").write_text("<html></html>", encoding="utf-8")
    seed = read_seed(tmp_path / "page.html")
    rendered = render_markdown_html(seed.body)
    assert unsafe_markup(rendered) == [] and live_markup(rendered) == []
    assert "alert(1)" in rendered  # the words are kept, as text
    assert any("plain text" in w for w in seed.warnings)


def test_ingested_markdown_of_hostile_seeds_is_inert(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "hostile.txt").write_text(text_seed(), encoding="utf-8")
    (seeds / "hostile-raw.html").write_text(html_seed_raw(), encoding="utf-8")
    (seeds / "hostile-text.html").write_text(html_seed_text(), encoding="utf-8")
    report = ingest([seeds], tmp_path / "content")
    assert report.ok and len(report.written) == 3 and not report.merged
    for path in report.written:
        text = path.read_text(encoding="utf-8")
        header, body = text.split("\n\n", 1)
        assert "<" not in header  # titles, authors, sources: no raw markup in metadata
        assert unsafe_markup(render_markdown_html(body)) == []
